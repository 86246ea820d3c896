import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { extractDocument } from '../extract/index.js';

async function readInput(file: string): Promise<Uint8Array> {
  if (file !== '-') return readFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('Extract one HTML page (file or - for stdin): title, main text, date and its source, language, words')
    .argument('<file>', 'HTML file, or - to read stdin')
    .option('--url <url>', 'page URL (used for URL date patterns)')
    .option('--content-type <value>', 'HTTP Content-Type header value (charset hint)')
    .option('--json', 'print one JSON object instead of text')
    .action(async (file: string, opts: { url?: string; contentType?: string; json?: boolean }) => {
      let bytes: Uint8Array;
      try {
        bytes = await readInput(file);
      } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const doc = extractDocument({ html: bytes, url: opts.url ?? null, contentType: opts.contentType ?? null });
      const out = {
        title: doc.title,
        text: doc.text,
        date: doc.date,
        dateSource: doc.dateSource,
        lang: doc.lang,
        words: doc.words,
        charset: doc.charset,
        charsetSource: doc.charsetSource,
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      process.stdout.write(
        `title:   ${out.title ?? '(none)'}\n` +
          `date:    ${out.date ?? '(none)'}${out.dateSource ? ` (${out.dateSource})` : ''}\n` +
          `lang:    ${out.lang}\nwords:   ${out.words}\ncharset: ${out.charset} (${out.charsetSource})\n\n` +
          `${out.text}\n`,
      );
    });
}
