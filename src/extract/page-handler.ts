/**
 * The DOM builder of every page parse: domhandler's tree, plus what the extraction would
 * otherwise walk the whole tree again to find, noted while the parser reports each tag.
 */
import { DomHandler } from 'domhandler';
import type { Element } from './dom.js';
import { isMetadataTag } from './metadata-elements.js';

export class PageHandler extends DomHandler {
  /** Deepest element nesting (<html> is 1), so a depth limit can skip shallow pages. */
  maxDepth = 0;
  /** Elements the metadata reads (metadata-elements.ts), in document order. */
  readonly metadataElements: Element[] = [];

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    // The stack holds the document itself, then the open elements down to this one.
    const depth = this.tagStack.length - 1;
    if (depth > this.maxDepth) this.maxDepth = depth;
    if (isMetadataTag(name, attribs)) this.metadataElements.push(this.tagStack[depth] as Element);
  }
}
