/** What `ccaudit sample` prints: progress on stderr, the plan and summary as text or JSON. */
import { liveStatus, type LiveStatus } from './progress.js';
import type { BaselinePlan, SampleEvent, SampleSummary } from '../pipeline/index.js';

export function baselinePlanJson(p: BaselinePlan) {
  return {
    cutoff: p.cutoff,
    crawls: p.crawls.map((c) => ({ id: c.id, from: c.from, to: c.to })),
    leftOut: p.leftOut.map((c) => c.id),
    matchedTo: p.matchedTo,
    total: p.allocation.total,
    perCrawl: p.allocation.perCrawl,
    minShare: p.allocation.minShare,
    strata: p.allocation.strata.map((s) => ({
      id: s.id,
      kind: s.kind,
      count: s.count,
      share: s.share,
      quota: s.quota,
      cells: s.cells,
      filter: s.describe,
    })),
  };
}

/** The allocation table: stratum, share in the audit, quota per crawl, index filter. */
export function formatBaselinePlan(p: BaselinePlan): string {
  const a = p.allocation;
  const byHand = p.matchedTo === '--match-strata';
  const num = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4))));
  const lines = [
    `Baseline: cutoff ${p.cutoff}; ` +
      (byHand ? `strata weights from --match-strata` : `matched to ${num(a.total)} audited documents crawled on or after it in ${p.matchedTo}`) +
      `; cells under ${(a.minShare * 100).toFixed(1)}% pooled`,
    `Crawls ending before the cutoff: ${p.crawls.map((c) => `${c.id} (${c.from.slice(0, 10)} to ${c.to.slice(0, 10)})`).join(', ')}`,
  ];
  if (p.leftOut.length) lines.push(`Left out (not ended before the cutoff): ${p.leftOut.map((c) => c.id).join(', ')}`);
  const rows = [
    ['stratum', byHand ? 'weight' : 'audited', 'share', 'quota/crawl', 'index filter'],
    ...a.strata.map((s) => [s.id, num(s.count), `${(s.share * 100).toFixed(1)}%`, String(s.quota), s.describe]),
    ['total', num(a.total), '100.0%', String(a.strata.reduce((n, s) => n + s.quota, 0)), ''],
  ];
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) {
    lines.push(
      r
        .map((c, i) => (i === 0 || i === 4 ? c.padEnd(width[i]) : c.padStart(width[i])))
        .join('  ')
        .trimEnd(),
    );
  }
  lines.push('Length is not matched here: the estimator post-stratifies the baseline by length.');
  return lines.join('\n') + '\n';
}

/**
 * Progress on stderr: what is being drawn, records fetched, rate, retries and the current
 * back-off, as a live line on a terminal or a plain line every few seconds otherwise (a
 * throttled run must show it is alive). With --json off a terminal the routine lines are left
 * out, but retries and back-off are still shown once they start.
 */
export class SampleProgress {
  private status: LiveStatus | null = null;
  private phase = '';
  private total = 0;
  private done = 0;
  private retries = 0;
  private failed = 0;
  private started = 0;
  private last: { url: string; code: string; attempt: number; delayMs: number; at: number } | null = null;
  private readonly tty = !!process.stderr.isTTY && !process.env.CI;

  constructor(
    private readonly quiet: boolean,
    private readonly intervalMs = Number(process.env.CCAUDIT_PROGRESS_INTERVAL_MS) || 5000,
  ) {}

  event(e: SampleEvent): void {
    switch (e.type) {
      case 'crawls':
        this.log(`crawls: ${e.crawls.join(', ')}`);
        break;
      case 'draw-start':
        this.phase = `drawing ${e.crawl}${e.stratum ? ` ${e.stratum}` : ''} (${e.backend})`;
        this.log(`${e.crawl}${e.stratum ? ` ${e.stratum}` : ''}: drawing the sample (${e.backend})…`);
        break;
      case 'draw-done':
        this.log(
          `${e.crawl}${e.stratum ? ` ${e.stratum}` : ''}: ${e.reused ? 'stored sample reused' : 'drew'} ${e.drawn}/${e.wanted} lines` +
            (e.reused ? '' : ` (${e.indexRequests} index requests)`),
        );
        break;
      case 'fetch-start':
        this.started = Date.now();
        this.total = e.total;
        this.phase = 'fetch';
        this.log(`fetching ${e.total} records…`);
        if (!this.quiet || this.tty) this.ensureStatus();
        break;
      case 'record':
        this.done++;
        if (!e.ok) {
          this.failed++;
          // 404s and other give-ups are always logged (stderr), and the run goes on.
          this.log(`skipped ${e.url}: ${e.code}: ${e.message}`, true);
        }
        this.status?.refresh();
        break;
      case 'retry':
        this.retries++;
        this.last = { ...e, at: Date.now() };
        this.ensureStatus();
        this.status!.refresh();
        break;
      case 'log':
        this.log(e.message, e.message.startsWith('warning:'));
        break;
    }
  }

  /** A line that is always shown (signals). */
  note(message: string): void {
    this.log(message, true);
  }

  private render(): string {
    const parts: string[] = [];
    if (this.phase === 'fetch') {
      const secs = (Date.now() - this.started) / 1000;
      parts.push(`fetched ${this.done}/${this.total} records${this.failed ? ` (${this.failed} failed)` : ''}`);
      parts.push(`${secs > 0 ? (this.done / secs).toFixed(2) : '0.00'} rec/s`);
    } else parts.push(this.phase || 'starting');
    parts.push(`${this.retries} retr${this.retries === 1 ? 'y' : 'ies'}`);
    if (this.last) {
      const left = this.last.at + this.last.delayMs - Date.now();
      const back =
        left > 0 ? (this.tty ? `next try in ${(left / 1000).toFixed(0)} s` : `backing off ${(this.last.delayMs / 1000).toFixed(1)} s`) : 'retrying';
      parts.push(`last ${this.last.code} (attempt ${this.last.attempt}) on ${this.last.url}, ${back}`);
    }
    return parts.join(' | ');
  }

  private ensureStatus(): void {
    this.status ??= liveStatus('ccaudit sample', () => this.render(), { tty: this.tty, intervalMs: this.intervalMs });
  }

  private log(message: string, always = false): void {
    if (this.quiet && !this.tty && !always) return;
    if (this.status) this.status.log(message);
    else process.stderr.write(`ccaudit sample: ${message}\n`);
  }

  stop(): void {
    this.status?.stop();
    this.status = null;
  }
}

export function summaryJson(s: SampleSummary) {
  return {
    ...s,
    plans: s.plans.map((p) => ({ ...p, toFetch: s.dryRun ? p.toFetch : undefined })),
  };
}

export function formatSummary(s: SampleSummary): string {
  const lines: string[] = [];
  if (s.dryRun) {
    lines.push('Dry run: nothing fetched or stored.');
    for (const p of s.plans) {
      const bytes = p.toFetch.reduce((n, r) => n + r.length, 0);
      lines.push(
        `${p.crawl}${p.stratum ? ` ${p.stratum}` : ''} (${p.backend}${p.reused ? ', stored sample' : ''}): ${p.toFetch.length} records to fetch, ` +
          `${(bytes / 1e6).toFixed(2)} MB` +
          (p.short ? ` (only ${p.drawn} of ${p.wanted} eligible lines found)` : ''),
      );
      for (const r of p.toFetch) lines.push(`  ${r.filename}\t${r.offset}\t${r.length}\t${r.url}`);
    }
    return lines.join('\n') + '\n';
  }
  lines.push(
    `Fetched ${s.fetched} records (${s.documents} documents), ${s.failed} failed, ${s.pending} still pending` +
      (s.interrupted ? ' (interrupted: run the same command again to resume)' : ''),
  );
  for (const c of s.counts) lines.push(`  ${c.crawl}: fetched ${c.fetched}, failed ${c.failed}, pending ${c.pending}`);
  for (const p of s.plans) {
    if (p.short) lines.push(`  ${p.crawl}${p.stratum ? ` ${p.stratum}` : ''}: only ${p.drawn} of ${p.wanted} eligible lines found`);
  }
  if (Object.keys(s.failures).length) {
    lines.push(
      `  failures: ${Object.entries(s.failures)
        .map(([k, v]) => `${k} ×${v}`)
        .join(', ')}`,
    );
  }
  const d = s.http.data;
  lines.push(
    `  ${s.recordsPerSecond.toFixed(1)} records/s, ${(s.bytes / 1e6).toFixed(2)} MB, ` +
      `${d.requests + s.http.index.requests} requests, ${d.retries + s.http.index.retries} retries, ` +
      `${s.slowDowns} slow-downs (403), ${(s.elapsedMs / 1000).toFixed(1)} s`,
  );
  return lines.join('\n') + '\n';
}
