/**
 * Documents that arrive as plain text (Common Crawl WET `conversion` records, dataset rows):
 * no HTML to parse, so no boilerplate removal, title or date extraction; the text is kept
 * exactly as given (per-document results are written back as spans over it) and only the
 * language and word count are computed.
 */
import type { ExtractedDocument } from '../core/types.js';
import { countWords, detectLanguage } from './language.js';

export interface TextDocumentInput {
  /** The text, as a string or UTF-8 bytes (WET and dataset text are UTF-8). */
  text: Uint8Array | string;
  /** A date the input gives for the document (a dataset row's date), ISO 8601. */
  date?: string | null;
}

const utf8 = new TextDecoder('utf-8');

export function documentFromText(input: TextDocumentInput): ExtractedDocument {
  const text = typeof input.text === 'string' ? input.text : utf8.decode(input.text);
  const date = input.date ?? null;
  return {
    title: null,
    text,
    date,
    dateSource: date ? 'dataset' : null,
    lang: detectLanguage(text),
    words: countWords(text),
    charset: 'utf-8',
    charsetSource: 'default',
  };
}
