/** The ZipPy-style compression delta shared by the `compression` detector and its trainer. */
import { deflateRawSync } from 'node:zlib';

/**
 * raw = (bytes deflated with the human dictionary − bytes with the AI dictionary) / input bytes.
 * Positive when the text shares more phrasing with the AI reference text.
 */
export function compressionDelta(norm: string, aiDict: Buffer, humanDict: Buffer, level: number, maxChars: number): number {
  const input = Buffer.from(norm.length > maxChars ? norm.slice(0, maxChars) : norm, 'utf8');
  if (input.length === 0) return 0;
  const a = deflateRawSync(input, { level, dictionary: aiDict }).length;
  const h = deflateRawSync(input, { level, dictionary: humanDict }).length;
  return (h - a) / input.length;
}
