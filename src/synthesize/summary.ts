/** What a synthesize run did, for stderr and `--json`. */

export interface SynthesisSummary {
  model: string;
  setName: string;
  endpoint: string;
  cutoff: string;
  dateBasis: 'crawl' | 'publication';
  /** --n */
  wanted: number;
  /** Baseline documents that qualified (pre-cutoff, ≥ min words, with text). */
  eligible: number;
  /** Pages chosen (≤ wanted; fewer when fewer qualified). */
  requested: number;
  /** Chosen pages already in the set from an earlier run. */
  skipped: number;
  /** Pages a request was sent for. */
  attempted: number;
  stored: number;
  /** Failed pages by reason: refusal, empty, gave-up:<code>, fatal:http-<status>, page-missing, error. */
  failed: Record<string, number>;
  /** Chosen pages not tried because the run stopped (fatal error or Ctrl-C). */
  notAttempted: number;
  /** Backoffs taken, in total and by failure code (http-429, http-500, reset, timeout …). */
  retries: number;
  retriesByCode: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  /** USD, when --price-in/--price-out were given. */
  costUsd: number | null;
  seconds: number;
  interrupted: boolean;
  /** The error that stopped the run, if any. */
  fatal: string | null;
  /** Chosen pages per (lang/tld) stratum. */
  strata: Array<{ stratum: string; eligible: number; chosen: number }>;
}

/** USD for the tokens at prices per million tokens; null when no price is known. */
export function estimateCost(promptTokens: number, completionTokens: number, priceIn?: number, priceOut?: number): number | null {
  if (priceIn === undefined && priceOut === undefined) return null;
  return (promptTokens * (priceIn ?? 0) + completionTokens * (priceOut ?? 0)) / 1e6;
}

const entries = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** Human-readable summary (a few lines). */
export function formatSummary(s: SynthesisSummary): string {
  const failedTotal = Object.values(s.failed).reduce((a, b) => a + b, 0);
  const lines = [
    `synthesize ${s.setName} (${s.model} at ${s.endpoint}): ${s.stored} stored, ${s.skipped} already done, ${failedTotal} failed` +
      (s.notAttempted ? `, ${s.notAttempted} not tried` : '') +
      ` of ${s.requested} pages chosen (${s.eligible} baseline pages with ${s.dateBasis} date < ${s.cutoff}, ${s.wanted} wanted)`,
  ];
  if (failedTotal) lines.push(`  failed: ${entries(s.failed)}`);
  lines.push(`  retries: ${s.retries}${s.retries ? ` (${entries(s.retriesByCode)})` : ''}`);
  lines.push(
    `  tokens: ${s.promptTokens} prompt + ${s.completionTokens} completion` +
      (s.costUsd !== null ? `, estimated cost $${s.costUsd.toFixed(4)}` : '') +
      `; ${s.seconds.toFixed(1)} s`,
  );
  if (s.interrupted) lines.push('  interrupted: re-run the same command to resume');
  return `${lines.join('\n')}\n`;
}
