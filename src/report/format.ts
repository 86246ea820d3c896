/** Number and label formatting shared by the report renderers. */
import type { ShareEstimate } from '../estimate/model.js';
import type { ShareReport } from '../estimate/model.js';
import type { DomainCalibrationInfo } from '../estimate/model.js';

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;

export const interval = (e: ShareEstimate): string => (e.lo === null || e.hi === null ? '' : `[${pct(e.lo)}, ${pct(e.hi)}]`);

/** Why an estimate has no number, in words. */
export function statusText(e: ShareEstimate, minDocs: number): string {
  switch (e.status) {
    case 'ok':
      return '';
    case 'too-few-documents':
      return `too few documents (${e.n} < ${minDocs})`;
    case 'uncalibrated':
      return e.note ?? 'no calibration for this detector version';
    case 'baseline-period':
      return 'baseline period (before the cutoff)';
    case 'not-identifiable':
      return `detector does not separate: ${e.note ?? ''}`.trim();
    case 'no-data':
      return e.note ?? 'no data';
  }
}

/** "publication month", "crawl quarter", "crawl period" (auto), "crawl", "language" … */
export function groupLabel(r: Pick<ShareReport, 'groupBy' | 'dateBasis' | 'period'>): string {
  switch (r.groupBy) {
    case 'month': {
      const unit = !r.period ? 'month' : r.period.kind === 'auto' ? 'period' : r.period.kind;
      return `${r.dateBasis === 'crawl' ? 'crawl' : 'publication'} ${unit}`;
    }
    case 'lang':
      return 'language';
    case 'all':
      return 'corpus';
    default:
      return r.groupBy;
  }
}

/** "json-ld 40% · meta-article 60%" */
export function dateSourceText(sources: Record<string, number>, documents: number): string {
  return Object.entries(sources)
    .map(([k, v]) => `${k} ${pct(v / Math.max(1, documents), 0)}`)
    .join(' · ');
}

/**
 * Fixed-width table: numbers (cells matching NUMERIC) right-aligned, text left-aligned. A row
 * shorter than the header is a note row: its last cell runs on freely and does not widen its
 * column (e.g. "too few documents" in place of a group's estimates).
 */
export function alignTable(header: string[], rows: string[][]): string {
  const full = rows.filter((r) => r.length >= header.length);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.filter((r) => r.length >= header.length || i < r.length - 1).map((r) => (r[i] ?? '').length)),
  );
  const numeric = header.map((_, i) => full.length > 0 && full.every((r) => (r[i] ?? '') === '' || r[i] === '–' || /^[-+]?[\d.,]+%?$/.test(r[i])));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => {
        if (cells.length < header.length && i === cells.length - 1) return c;
        return numeric[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...rows.map(render)].join('\n');
}

/**
 * When no estimate of a group has a number and they all fail for the same reason, that
 * reason as one line (so a table shows "no scored documents" once, not per method).
 */
export function commonFailure(estimates: readonly ShareEstimate[], minDocs: number): string | null {
  if (estimates.length === 0 || estimates.some((e) => e.status === 'ok')) return null;
  if (estimates.some((e) => e.status === 'too-few-documents')) {
    return estimates.every((e) => e.status === 'too-few-documents' || e.status === 'no-data')
      ? `too few scored documents (minimum ${minDocs})`
      : null;
  }
  return estimates.every((e) => e.status === 'no-data') ? 'no scored documents' : null;
}

// ---- Domain-matched calibration: labels and strata views shared by the renderers ----

const CALIBRATION_SHORT: Record<NonNullable<ShareEstimate['calibration']>, string> = {
  development: 'dev',
  baseline: 'baseline',
  'user-labeled': 'user',
};

/** Which reference measured an estimate's error rates: "dev", "baseline", "user" ('' when none was needed). */
export function calibrationLabel(e: Pick<ShareEstimate, 'calibration'>, form: 'short' | 'long' = 'short'): string {
  if (!e.calibration) return '';
  return form === 'short' ? CALIBRATION_SHORT[e.calibration] : e.calibration;
}

/** True for estimates calibrated on the audited domain itself (baseline pages or a user corpus). */
export const isDomainCalibrated = (e: Pick<ShareEstimate, 'calibration'>): boolean =>
  e.calibration === 'baseline' || e.calibration === 'user-labeled';

/** A difference of shares in percentage points ("2.1 pp"): an error or a band, not a share. */
export const ppValue = (x: number): string => `${(x * 100).toFixed(1)} pp`;

/** Half-width of a drift band in percentage points: "±2.1 pp". */
export const ppText = (halfWidth: number | null | undefined): string =>
  halfWidth === null || halfWidth === undefined || !Number.isFinite(halfWidth) ? '–' : `±${ppValue(halfWidth)}`;

/** "±2.1 pp drift" for an estimate with a systematic band, else ''. */
export function driftText(e: Pick<ShareEstimate, 'systematic'>): string {
  const hw = e.systematic?.halfWidth;
  return hw === undefined || hw === null || !Number.isFinite(hw) ? '' : `${ppText(hw)} drift`;
}

/** A signed share ("+5.1%", "−14.9%"): the drift check's unclipped estimates may be negative. */
export function signedPct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const abs = pct(Math.abs(x), digits);
  // A value that rounds to zero gets no sign ("−0.0%" would suggest a direction).
  return Number((Math.abs(x) * 100).toFixed(digits)) === 0 ? abs : `${x < 0 ? '−' : '+'}${abs}`;
}

/** The stratum fields a report needs (a subset of score-model.ts StratumSummary). */
export interface StratumLike {
  key: string;
  level: number;
  baselineN: number;
  fpr: number;
  aiN: number;
  tpr: number | null;
}

/** One row of a strata table, with where its pages and AI references come from. */
export interface StratumView<S extends StratumLike = StratumLike> {
  stratum: S;
  /** 'own' = every stratum dimension; 'coarser' = a fallback level; 'pooled' = everything ("*"). */
  role: 'own' | 'coarser' | 'pooled';
  /** Baseline pages measured on this stratum because their finer strata had too few pages (0 for own strata). */
  fallbackPages: number;
  /** Stratum whose AI references give TPR and the AI score distribution (itself unless it has too few). */
  aiStratum: string;
}

/** Is `coarse` an ancestor of `fine` (a stratum reached from it by dropping dimensions)? */
const isAncestor = (coarse: StratumLike, fine: StratumLike): boolean =>
  coarse.level > fine.level && (coarse.key === '*' || fine.key.startsWith(`${coarse.key}|`));

/**
 * How the listed strata are used, following the fallback rule of strata.ts: a page whose
 * stratum has fewer than `minBaseline` baseline pages is measured on its nearest coarser
 * stratum that has enough (finally the pooled one), and likewise for AI references with
 * `minAi`. The listed strata are the cells with ≥ minBaseline pages plus "*"; a coarser
 * cell's fallback pages are its pages not in any listed direct child.
 */
export function strataViews<S extends StratumLike>(strata: readonly S[], minAi: number): Array<StratumView<S>> {
  const views = strata.map((s): StratumView<S> => {
    const role = s.key === '*' ? 'pooled' : s.level === 0 ? 'own' : 'coarser';
    const inChildren = strata.filter((c) => c.level === s.level - 1 && isAncestor(s, c)).reduce((sum, c) => sum + c.baselineN, 0);
    const ancestors = strata.filter((a) => isAncestor(a, s)).sort((a, b) => a.level - b.level);
    const ai = [s, ...ancestors].find((a) => a.key !== '*' && a.aiN >= minAi);
    return { stratum: s, role, fallbackPages: role === 'own' ? 0 : Math.max(0, s.baselineN - inChildren), aiStratum: ai?.key ?? '*' };
  });
  // Own strata first, then ever coarser ones, the pooled stratum last; larger first within a level.
  return views.sort((a, b) => a.stratum.level - b.stratum.level || b.stratum.baselineN - a.stratum.baselineN);
}

/** "0 own", "1 coarser", "3 pooled". */
export const stratumLevelText = (v: Pick<StratumView, 'role' | 'stratum'>): string => `${v.stratum.level} ${v.role}`;

/**
 * Lines saying which strata fell back: baseline pages measured on coarser or pooled strata,
 * and strata whose TPR / AI score distribution come from a coarser or the pooled stratum.
 */
export function strataFallbackLines(views: readonly StratumView[], minBaseline: number, minAi: number, nBaseline: number): string[] {
  const coarser = views.filter((v) => v.role === 'coarser' && v.fallbackPages > 0);
  const pooledPages = views.filter((v) => v.role === 'pooled').reduce((s, v) => s + v.fallbackPages, 0);
  const movedPages = coarser.reduce((s, v) => s + v.fallbackPages, 0) + pooledPages;
  const lines = [
    movedPages === 0
      ? `baseline: every page is measured in its own stratum (each has ≥ ${minBaseline} pages).`
      : `baseline: ${movedPages} of ${nBaseline} pages (${pct(movedPages / Math.max(1, nBaseline))}) are in strata with fewer than ${minBaseline} pages; ` +
        `measured on coarser strata: ${coarser.length > 0 ? coarser.map((v) => `${v.stratum.key} ${v.fallbackPages}`).join(', ') : 'none'}; on the pooled stratum (*): ${pooledPages}.`,
  ];
  const aiFallback = views.filter((v) => v.aiStratum !== v.stratum.key && v.stratum.key !== '*');
  const toPooled = aiFallback.filter((v) => v.aiStratum === '*');
  const toCoarser = aiFallback.filter((v) => v.aiStratum !== '*');
  lines.push(
    aiFallback.length === 0
      ? `AI references: every listed stratum has ≥ ${minAi} of its own.`
      : `AI references (fewer than ${minAi} in the stratum): ` +
          [
            toCoarser.length > 0 ? `from a coarser stratum for ${toCoarser.map((v) => `${v.stratum.key} → ${v.aiStratum}`).join(', ')}` : '',
            toPooled.length > 0 ? `from the pooled stratum (*) for ${toPooled.map((v) => v.stratum.key).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ') +
          '.',
  );
  return lines;
}

/** "lang × tld × length (length bands <300, 300-999, >=1000)" */
export function strataSpecText(spec: { dims: string[]; lengthEdges: number[]; minBaseline: number; minAi: number }): string {
  const edges = spec.lengthEdges;
  const bands = edges.length === 0 ? [] : [`<${edges[0]}`, ...edges.slice(1).map((e, i) => `${edges[i]}-${e - 1}`), `>=${edges[edges.length - 1]}`];
  const dims = spec.dims.length > 0 ? spec.dims.join(' × ') : 'none (everything pooled)';
  return `${dims}${spec.dims.includes('length') ? ` (length bands ${bands.join(', ')} words)` : ''}; a stratum needs ≥ ${spec.minBaseline} baseline pages and ≥ ${spec.minAi} AI references of its own, else the nearest coarser one is used (dimensions dropped from the end)`;
}

/** "AUROC 0.91 baseline vs AI references" (how well a detector separates them in this domain). */
export const aurocText = (auroc: number | null): string =>
  auroc === null || !Number.isFinite(auroc) ? 'AUROC n/a' : `AUROC ${auroc.toFixed(2)} baseline vs AI references`;

/** Which detector's baseline series to read first, and why. */
export function recommendationText(dc: Pick<DomainCalibrationInfo, 'recommended' | 'detectors'>): string {
  if (!dc.recommended) return 'no detector separates baseline pages from AI references better than chance: read no baseline series as a measurement';
  const d = dc.detectors.find((x) => x.detector === dc.recommended);
  return `read the ${dc.recommended} series first: it separates baseline pages from AI references best (${aurocText(d?.auroc ?? null)})`;
}
