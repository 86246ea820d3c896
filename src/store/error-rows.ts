/** Error rows (a bad record, a failed extraction, an unreadable source) as the writer buffers them. */
import type { WarcReadError } from '../core/types.js';
import { badInput, checkOffset, checkOffsetKind } from './record-rows.js';

/** An error not coming from the WARC reader (e.g. extraction failed, file unreadable). */
export interface ErrorInput {
  sourceId: number;
  /** Position of the problem; null when it concerns the whole source. */
  offset: number | null;
  offsetKind?: 'file' | 'uncompressed' | null;
  code: string;
  message: string;
}

export type ErrorParams = {
  run_id: number | null;
  source_id: number;
  offset: number | null;
  offset_kind: string | null;
  code: string;
  message: string;
  created_at: string;
};

export const INSERT_ERROR_SQL = `INSERT INTO errors (run_id, source_id, offset, offset_kind, code, message, created_at)
    VALUES (@run_id, @source_id, @offset, @offset_kind, @code, @message, @created_at)
    ON CONFLICT DO NOTHING`;

export function isWarcReadError(value: unknown): value is WarcReadError {
  return typeof value === 'object' && value !== null && (value as WarcReadError).kind === 'error';
}

export function errorRow(
  runId: number | null,
  sourceId: number,
  offset: number | null,
  offsetKind: string | null,
  code: string,
  message: string,
): ErrorParams {
  if (typeof code !== 'string' || code.length === 0) throw badInput('error code must be a non-empty string');
  return {
    run_id: runId,
    source_id: sourceId,
    offset: offset === null || offset === undefined ? null : checkOffset('error offset', offset),
    offset_kind: offsetKind === null || offsetKind === undefined ? null : checkOffsetKind(offsetKind),
    code,
    message: String(message ?? ''),
    created_at: new Date().toISOString(),
  };
}
