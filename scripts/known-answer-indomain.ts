/**
 * Known-answer benchmark of the in-domain estimate (the report's headline), one labelled
 * source at a time. The estimate trains nothing on development data: each audit trains its
 * own discriminator on its own baseline and references, so every source is "left out" of
 * everything but the estimator's fixed settings.
 *
 * Per source and draw, the source's texts are split by group (a human article and the AI
 * texts written from its opening share a group, so none straddles the split) into
 *   baseline pages — human texts, dated in two months before the cutoff (for the drift check),
 *   AI references  — AI texts (what `synthesize` or `references import` would add),
 *   target months  — four months at 0 %, 5 %, 20 % and 50 % AI of the other texts.
 * Designs:
 *   same              references and target AI from the same generators;
 *   split-generators  references from half of the source's generators, target AI from the others;
 *   genre-shift       baseline and references mix every genre; each target month is one genre.
 * This is a SYNTHETIC mixture of REAL labelled texts, estimated in memory (the WARC → scan →
 * report path runs the same estimator; see tests/estimate/indomain-report.test.ts).
 *
 *   npx tsx scripts/known-answer-indomain.ts [--draws 3] [--n 200] [--baseline 300] [--ai-refs 150]
 *        [--design same,split-generators,genre-shift] [--sources detectrl,…] [--replicates 300] [--json FILE]
 *        [--pairing twins|opening] [--l2 1e-6] [--epochs 6] [--learning-rate 0.1] [--bits 18] [--clusters K] [--style-scale S]
 *        (split rule and estimator settings, to compare)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mixSeed } from '../src/core/rng.js';
import { InDomainModel } from '../src/estimate/indomain/model.js';
import { MAX_NOVEL_SHARE } from '../src/estimate/headline.js';
import { DRAW_OPTIONS, buildOrReason, drawsFromOptions, summariseByDesign, type Design } from './lib/indomain-draws.js';

interface Row {
  source: string;
  design: Design;
  draw: number;
  month: string;
  truth: number;
  share: number;
  lo: number;
  hi: number;
  covered: boolean;
  selfCheckError: number;
  selfCheckCoverage: number;
  /** The self-check redone with this month's own topic mix (what the report prints per period). */
  periodCheckError: number;
  inflation: number;
  /** The report would withhold this month's headline: too many of its documents are unlike every training topic. */
  withheld: boolean;
}

/** Pearson correlation (0 when either side is constant). */
function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((x, i) => {
    sab += (x - ma) * (b[i] - mb);
    saa += (x - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  });
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...DRAW_OPTIONS,
      replicates: { type: 'string', default: '300' },
      l2: { type: 'string' },
      'learning-rate': { type: 'string' },
      epochs: { type: 'string' },
      bits: { type: 'string' },
      clusters: { type: 'string' },
      'style-scale': { type: 'string' },
      pairing: { type: 'string', default: 'twins' },
      json: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const rows: Row[] = [];
  const refused: string[] = [];
  const { designs, sources, draws } = await drawsFromOptions(values, values.pairing === 'opening' ? 'opening' : 'twins');
  for (const { design, source, index: d, draw: x } of draws) {
    const t0 = Date.now();
    const model = buildOrReason(() =>
      InDomainModel.build(
        x.baseline.map((r, i) => ({ text: r.text, month: i % 2 ? '2022-06' : '2022-01' })),
        x.references.map((r) => ({ text: r.text, generator: r.generator })),
        {
          level: 0.95,
          replicates: Number(values.replicates),
          seed: mixSeed(seed, d),
          ...(values.l2 ? { l2: Number(values.l2) } : {}),
          ...(values['learning-rate'] ? { learningRate: Number(values['learning-rate']) } : {}),
          ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
          ...(values.bits ? { bits: Number(values.bits) } : {}),
          ...(values.clusters ? { clusters: Number(values.clusters) } : {}),
          ...(values['style-scale'] ? { styleScale: Number(values['style-scale']) } : {}),
        },
      ),
    );
    if (typeof model === 'string') {
      // The report would lead with another method; these months have no in-domain figure.
      console.error(`${design} ${source} draw ${d}: no in-domain model: ${model}`);
      refused.push(`${design} ${source} draw ${d}`);
      continue;
    }
    const sc = model.info.selfCheck;
    x.months.forEach((m, i) => {
      const e = model.estimate(
        m.docs.map((r) => model.prepare(r.text)),
        mixSeed(seed, d, i),
      );
      rows.push({
        source,
        design,
        draw: d,
        month: m.label,
        truth: m.truth,
        share: e.share,
        lo: e.lo,
        hi: e.hi,
        covered: e.lo <= m.truth + 1e-12 && m.truth <= e.hi + 1e-12,
        selfCheckError: sc.meanAbsError,
        periodCheckError: e.periodCheck.meanAbsError,
        selfCheckCoverage: sc.coverage,
        inflation: sc.inflation,
        withheld: e.novelShare > MAX_NOVEL_SHARE,
      });
    });
    const last = rows.slice(-x.months.length);
    console.error(
      `${design} ${source} draw ${d}: ${((Date.now() - t0) / 1000).toFixed(1)} s, AUROC ${model.info.auroc.toFixed(3)}, clusters ${model.info.clusters}, ` +
        `self-check ${(sc.meanAbsError * 100).toFixed(1)} pts / ${(sc.coverage * 100).toFixed(0)} % (×${sc.inflation}; ${Object.entries(sc.byDesign)
          .map(([k, v]) => `${k} ${(v.meanAbsError * 100).toFixed(1)}/${(v.coverage * 100).toFixed(0)}%`)
          .join(', ')}), miss ${(model.info.generatorMiss * 100).toFixed(0)} %, ` +
        last.map((r) => `${r.month}: ${(r.share * 100).toFixed(1)} [${(r.lo * 100).toFixed(1)}, ${(r.hi * 100).toFixed(1)}]`).join('; '),
    );
  }
  const table: string[] = [
    'design            source                   months  MAE (pts)  max err  coverage  mean width  self-check MAE/cov  period check  r(err, check)  withheld',
  ];
  const line = (design: string, source: string, xs: Row[]) => {
    if (!xs.length) return;
    const mae = (xs.reduce((s, r) => s + Math.abs(r.share - r.truth), 0) / xs.length) * 100;
    const maxErr = Math.max(...xs.map((r) => Math.abs(r.share - r.truth))) * 100;
    const cov = (xs.filter((r) => r.covered).length / xs.length) * 100;
    const width = (xs.reduce((s, r) => s + r.hi - r.lo, 0) / xs.length) * 100;
    const scE = (xs.reduce((s, r) => s + r.selfCheckError, 0) / xs.length) * 100;
    const scC = (xs.reduce((s, r) => s + r.selfCheckCoverage, 0) / xs.length) * 100;
    const pc = (xs.reduce((s, r) => s + r.periodCheckError, 0) / xs.length) * 100;
    const r = correlation(
      xs.map((x) => Math.abs(x.share - x.truth)),
      xs.map((x) => x.periodCheckError),
    );
    table.push(
      `${design.padEnd(18)}${source.padEnd(25)}${String(xs.length).padStart(6)}${mae.toFixed(1).padStart(11)}${maxErr.toFixed(1).padStart(9)}${`${cov.toFixed(0)} %`.padStart(10)}${width.toFixed(1).padStart(12)}${`${scE.toFixed(1)} / ${scC.toFixed(0)} %`.padStart(20)}${pc.toFixed(1).padStart(14)}${r.toFixed(2).padStart(15)}${String(xs.filter((x) => x.withheld).length).padStart(10)}`,
    );
  };
  summariseByDesign(designs, sources, rows, line);
  console.log(table.join('\n'));
  if (refused.length) console.log(`draws whose in-domain model refused (not identifiable; not in the table): ${refused.join(', ')}`);
  if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 1));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
