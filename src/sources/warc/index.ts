/**
 * WARC reading layer: local files (streaming, bounded memory), in-memory
 * ranges (Common Crawl range replies) and payload decoding.
 */
export { readWarcFile, readRecordAt, type ReadWarcOptions } from './read-file.js';
export { parseWarcRecordBytes, readWarcBytes } from './parse-bytes.js';
export { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_SYNC_MEMBER_BYTES } from './items.js';
export { parseHttpHead, decodeHttpBody, dechunk, looksChunked, type HttpHead, type DecodedPayload } from './http-payload.js';
export { getHeader, getHeaderAll, normaliseWarcDate, cleanTargetUri, type HeaderList } from './warc-headers.js';
export { warcMemberAtOrAfter } from './member-boundary.js';
