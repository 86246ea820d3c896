/**
 * Scoring labeled records with a detector and breaking metrics down by slice
 * (all / file / domain / generator / language).
 */
import type { Detector, LabeledRecord } from './types.js';
import { computeMetrics, type MetricSet } from './metrics.js';

export type SliceKind = 'all' | 'file' | 'domain' | 'generator' | 'family' | 'variant' | 'lang';

/**
 * Generators in the development corpora that are *base* language models sampled as
 * continuations of a human prefix (fast-detect-gpt's open models and GPT-3 davinci), as
 * opposed to instruction-tuned chat models prompted to write.
 */
export const BASE_LM_GENERATORS: ReadonlySet<string> = new Set(['gpt2-xl', 'gpt-neo-2.7B', 'gpt-j-6B', 'gpt-neox-20b', 'opt-2.7b', 'davinci']);

/** 'base-lm' or 'instruction-tuned' for an AI generator name. */
export function generatorFamily(generator: string): 'base-lm' | 'instruction-tuned' {
  return BASE_LM_GENERATORS.has(generator) ? 'base-lm' : 'instruction-tuned';
}

export interface EvaluationRow extends MetricSet {
  detector: string;
  detectorVersion: string;
  slice: SliceKind;
  value: string;
}

function pushTo(m: Map<string, number[]>, key: string, i: number): void {
  const list = m.get(key);
  if (list) list.push(i);
  else m.set(key, [i]);
}

/** Scores every record (errors become null so one bad text never stops an evaluation). */
export async function scoreRecords(detector: Detector, records: readonly LabeledRecord[]): Promise<Array<number | null>> {
  await detector.init?.();
  const out: Array<number | null> = [];
  for (const r of records) {
    try {
      const res = await detector.score({ text: r.text, lang: r.lang });
      out.push(res.score === null || !Number.isFinite(res.score) ? null : res.score);
    } catch {
      out.push(null);
    }
  }
  return out;
}

export interface EvaluateOptions {
  /** Threshold for accuracy/F1 (e.g. the calibrated one; default 0.5). */
  threshold: number;
  replicates: number;
  seed: number;
  /** Slices to break down by, besides "all". */
  breakdowns: SliceKind[];
  /** Smallest class size for a slice to be reported. */
  minPerClass: number;
}

export const DEFAULT_EVALUATE: EvaluateOptions = {
  threshold: 0.5,
  replicates: 500,
  seed: 20240601,
  breakdowns: ['file', 'domain', 'generator', 'family', 'variant', 'lang'],
  minPerClass: 10,
};

/**
 * Metrics per slice. A generator, generator-family or variant (prompt style / attack) slice
 * compares those AI texts against all human texts of the files they appear in (humans have
 * no generator).
 */
export function evaluateScores(
  detector: Pick<Detector, 'name' | 'version'>,
  records: readonly LabeledRecord[],
  scores: ReadonlyArray<number | null>,
  opts: EvaluateOptions = DEFAULT_EVALUATE,
): EvaluationRow[] {
  const rows: EvaluationRow[] = [];
  const version = detector.version;
  const emit = (slice: SliceKind, value: string, idx: number[]) => {
    let pos = 0;
    for (const i of idx) if (records[i].label === 'ai') pos++;
    if (slice !== 'all' && (pos < opts.minPerClass || idx.length - pos < opts.minPerClass)) return;
    const m = computeMetrics(
      idx.map((i) => scores[i]),
      idx.map((i) => (records[i].label === 'ai' ? 1 : 0)),
      { replicates: opts.replicates, seed: opts.seed, threshold: opts.threshold },
    );
    // Too few scored documents of a class: report counts and coverage, not metrics.
    if (m.nPos < opts.minPerClass || m.nNeg < opts.minPerClass) {
      if (slice !== 'all') return;
      m.auroc = m.tprAt1Fpr = m.tprAt5Fpr = m.accuracy = m.f1 = null;
    }
    rows.push({ detector: detector.name, detectorVersion: version, slice, value, ...m });
  };
  emit(
    'all',
    'all',
    records.map((_, i) => i),
  );
  for (const kind of opts.breakdowns) {
    const groups = new Map<string, number[]>();
    if (kind === 'generator' || kind === 'family' || kind === 'variant') {
      const keyOf = (r: LabeledRecord): string | null =>
        kind === 'variant'
          ? r.variant
            ? `${r.file}:${r.variant}`
            : null
          : r.generator
            ? kind === 'family'
              ? generatorFamily(r.generator)
              : r.generator
            : null;
      const humansByFile = new Map<string, number[]>();
      records.forEach((r, i) => {
        if (r.label === 'human') pushTo(humansByFile, r.file, i);
      });
      const filesByGen = new Map<string, Set<string>>();
      records.forEach((r, i) => {
        const g = r.label === 'ai' ? keyOf(r) : null;
        if (g === null) return;
        pushTo(groups, g, i);
        filesByGen.set(g, (filesByGen.get(g) ?? new Set()).add(r.file));
      });
      for (const [g, idx] of [...groups.entries()].sort()) {
        const humans = [...filesByGen.get(g)!].flatMap((f) => humansByFile.get(f) ?? []);
        emit(kind, g, [...idx, ...humans]);
      }
      continue;
    }
    records.forEach((r, i) => {
      const key = kind === 'file' ? r.file : kind === 'domain' ? r.domain : r.lang;
      pushTo(groups, key, i);
    });
    for (const [k, idx] of [...groups.entries()].sort()) emit(kind, k, idx);
  }
  return rows;
}

const fmt = (x: number | undefined | null, d = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '  -  ' : x.toFixed(d));

/** A fixed-width text table of evaluation rows. */
export function formatEvaluationTable(rows: readonly EvaluationRow[]): string {
  const header = ['detector', 'slice', 'value', 'n_ai', 'n_hum', 'cover', 'AUROC [95% CI]', 'TPR@1%FPR [CI]', 'TPR@5%FPR [CI]', 'acc', 'F1'];
  const lines = rows.map((r) => [
    r.detector,
    r.slice,
    r.value,
    String(r.nPos),
    String(r.nNeg),
    fmt(r.coverage, 2),
    r.auroc ? `${fmt(r.auroc.value)} [${fmt(r.auroc.lo)},${fmt(r.auroc.hi)}]` : '-',
    r.tprAt1Fpr ? `${fmt(r.tprAt1Fpr.value)} [${fmt(r.tprAt1Fpr.lo)},${fmt(r.tprAt1Fpr.hi)}]` : '-',
    r.tprAt5Fpr ? `${fmt(r.tprAt5Fpr.value)} [${fmt(r.tprAt5Fpr.lo)},${fmt(r.tprAt5Fpr.hi)}]` : '-',
    r.accuracy ? fmt(r.accuracy.value) : '-',
    r.f1 ? fmt(r.f1.value) : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}
