/**
 * Typed records handed between pipeline stages:
 *   source (WarcRecord | WarcReadError) → extract (ExtractedDocument) → detect (Score) → store.
 * Each stage knows only the record types it takes and yields.
 */

/**
 * How a record's (or error's) offset is to be read:
 * - 'file': a byte offset in the file; for gzip files a member offset, and the record is the
 *   byte range `[offset, offset + length)` (range-addressable);
 * - 'member': the record shares a gzip member (not the file's first) with other records:
 *   offset = the member's file offset + the record's index among the records starting in that
 *   member. Not a byte range of its own; stored as 'file' (the key is a file position either way);
 * - 'uncompressed': an offset in the decompressed stream (records sharing the file's first gzip
 *   member, e.g. whole-file gzip).
 */
export type OffsetKind = 'file' | 'member' | 'uncompressed';

/** One WARC record as read from a local file or an HTTP range. */
export interface WarcRecord {
  /** File path (local) or URL (remote) the record was read from. */
  source: string;
  /**
   * Where the record is in `source`; a stable key: the same record gets the same offset
   * whatever offset reading started at.
   * - Per-record gzip (Common Crawl): the gzip member's offset, so
   *   `Range: bytes=offset-(offset+length-1)` returns the record.
   * - Uncompressed files: the offset of "WARC/1.x".
   * - A record sharing a gzip member with other records, in any member but the file's
   *   first: the member's file offset + the record's index among the records starting
   *   in that member (0, 1, …); offsetKind 'member', `length` its decompressed length.
   * - A record sharing the file's first gzip member with others (whole-file gzip): the
   *   offset in the *decompressed* stream; offsetKind 'uncompressed'.
   */
  offset: number;
  /** Bytes the record occupies in `source` (compressed size for gzip members; see `offset`). */
  length: number;
  offsetKind: OffsetKind;
  /**
   * Where a later read must start (`startOffset`) so that every record after this one is
   * read again, always a file offset (`startOffsetKind: 'file'`): for gzip files a member
   * boundary (a member holding several records is read again from its start — for whole-file
   * gzip the whole file — and records already stored are dropped by their offset keys).
   * Absent: `offset + length`.
   */
  resumeOffset?: number;
  /** WARC version, e.g. "1.0", "1.1", "0.17". */
  warcVersion: string | null;
  /** WARC-Type: response, request, revisit, metadata, resource, warcinfo, conversion … */
  warcType: string | null;
  /** WARC-Target-URI with any <…> brackets removed. */
  targetUri: string | null;
  /** WARC-Date normalised to ISO 8601 UTC ("2024-05-18T01:58:10Z"), null if unparseable. */
  warcDate: string | null;
  /** WARC-Date exactly as written. */
  warcDateRaw: string | null;
  /** WARC-Record-ID, e.g. "<urn:uuid:…>". */
  recordId: string | null;
  /** All WARC header fields; repeated fields keep every value in order. */
  warcHeaders: Array<[string, string]>;
  /** HTTP status for HTTP response/revisit records, else null. */
  httpStatus: number | null;
  /** HTTP headers (response/request) or null when the block is not HTTP. Repeated fields kept. */
  httpHeaders: Array<[string, string]> | null;
  /**
   * Content type of the payload: the HTTP Content-Type for HTTP records,
   * else the WARC Content-Type (e.g. resource records).
   */
  contentType: string | null;
  /**
   * The payload with transport encodings removed: chunked de-chunked,
   * gzip/deflate/br/zstd Content-Encoding decoded — but not twice: Common Crawl's
   * already-decoded payloads (X-Crawler-* headers) are left as they are.
   * For non-HTTP blocks (warcinfo, metadata, resource, conversion, dns:) the block itself.
   * null when there are no payload bytes (request without body, revisit, empty body).
   */
  payload: Uint8Array | null;
  /**
   * The payload's length when the bytes themselves were left behind (a worker thread that read
   * the record sends the store only what it keeps); otherwise the length of `payload`.
   */
  payloadLength?: number;
  /** The payload's SHA-1 (hex) when the bytes were left behind, for the store's duplicate check. */
  payloadSha1?: string;
  /** True when the payload was cut short (WARC-Truncated, truncated file, size cap). */
  payloadTruncated: boolean;
  /** Notes about repairs made while reading (e.g. "chunked header but body not chunked"). */
  notes: string[];
  /**
   * The input's own id for the document (a dataset row's `id` column), kept so per-document
   * results can be written back keyed by it. Absent for WARC records (their id is `recordId`).
   */
  inputId?: string | null;
  /**
   * A date the input gives for the document itself (a dataset row's date column, or the crawl
   * named in its `dump`), ISO 8601; it becomes the document's date with dateSource 'dataset'.
   */
  documentDate?: string | null;
}

/** A record (or a stretch of bytes) that could not be read. Errors are data, not crashes. */
export interface WarcReadError {
  kind: 'error';
  source: string;
  /** Byte offset where the problem starts (same coordinate system as WarcRecord.offset). */
  offset: number;
  offsetKind: OffsetKind;
  /** Short machine-readable class, e.g. "truncated-gzip", "bad-header", "junk", "decode-failed". */
  code: string;
  message: string;
}

export type WarcItem = WarcRecord | WarcReadError;

export function isReadError(item: WarcItem): item is WarcReadError {
  return (item as WarcReadError).kind === 'error';
}

/** Where a publication date came from, most trusted first. */
/** 'dataset': the date a dataset row carries (see WarcRecord.documentDate), not read from HTML. */
export type DateSource = 'json-ld' | 'meta-article' | 'meta-other' | 'time-element' | 'url' | 'dataset' | null;

/** Result of extracting one HTML page. */
export interface ExtractedDocument {
  title: string | null;
  /** Main article text; paragraphs separated by "\n\n". */
  text: string;
  /** Publication date as ISO 8601 (date or date-time), null if none found. */
  date: string | null;
  dateSource: DateSource;
  /** ISO 639-3 code from franc, "und" when the text is too short to tell. */
  lang: string;
  /** Whitespace-delimited word count of `text` (CJK characters counted one each). */
  words: number;
  /** Charset used to decode the bytes (WHATWG label, lowercase). */
  charset: string;
  /** How the charset was chosen. */
  charsetSource: 'bom' | 'http' | 'meta' | 'detected' | 'default';
}

/** Input to extraction: raw bytes plus what the transport said about them. */
export interface ExtractInput {
  html: Uint8Array | string;
  /** HTTP Content-Type header value, if any (for the charset). */
  contentType?: string | null;
  /** Page URL, used for URL date patterns and resolving. */
  url?: string | null;
}

/** One detector's verdict on one document, as produced during a scan (see src/detect/). */
export interface DocumentScore {
  detector: string;
  detectorVersion: string;
  /** Probability-like score in [0, 1]; null when the detector does not support the document. */
  score: number | null;
  raw: number | null;
  details: Record<string, unknown> | null;
}
