/** The estimator seam: the registry drives the aggregator and `--method`, and a new method is one module. */
import { describe, expect, it } from 'vitest';
import { EstimateAggregator } from '../../src/estimate/aggregate.js';
import type { DetectorSpec, Estimator } from '../../src/estimate/estimator.js';
import { ESTIMATORS, METHOD_NAMES, findEstimator } from '../../src/estimate/registry.js';
import { okEstimate } from '../../src/estimate/types.js';
import { methodList } from '../../src/cli/report-flags.js';

const detectors: DetectorSpec[] = [
  { name: 'a', version: '1', threshold: 0.5, calibration: { threshold: 0.5, tpr: 0.9, fpr: 0.1, nPos: 500, nNeg: 500 }, calibrationSource: 'file' },
  { name: 'b', version: '1', threshold: 0.5, calibration: null, calibrationSource: null },
];

/** A SYNTHETIC method for the test: the share of documents whose first score is above 0.9. */
const topScore: Estimator = {
  name: 'top-score',
  describe: 'share of documents with a first score above 0.9 (test only)',
  needs: {},
  create: ({ level }) => ({
    group() {
      let n = 0;
      let k = 0;
      return {
        add(doc) {
          n++;
          if ((doc.scores[0] ?? 0) > 0.9) k++;
        },
        estimate: () => [okEstimate({ method: 'top-score', kind: 'naive', detector: null, share: k / n, lo: k / n, hi: k / n, level, n })],
      };
    },
  }),
};

describe('estimator registry', () => {
  it('lists the built-ins in report order and resolves aliases', () => {
    expect(METHOD_NAMES).toEqual(['in-domain', 'naive', 'corrected', 'baseline', 'mixture', 'pages', 'excess']);
    expect(findEstimator('gpt-words')?.name).toBe('excess');
    expect(findEstimator('primarily-ai')?.name).toBe('pages');
    expect(findEstimator('nope')).toBeUndefined();
    expect(ESTIMATORS.every((e) => e.describe.length > 0)).toBe(true);
  });

  it('derives the --method choices from the registry', () => {
    expect(methodList('naive,ai-fraction')).toEqual(['naive', 'pages']);
    expect(() => methodList('naive,bogus')).toThrow(
      /unknown method "bogus" \(choose from in-domain, naive, corrected, baseline, mixture, pages, excess\)/,
    );
  });

  it("keeps each detector's per-detector estimates together and runs an added estimator", () => {
    const agg = new EstimateAggregator(detectors, { minDocs: 1, replicates: 50, estimators: [...ESTIMATORS, topScore] });
    for (let i = 0; i < 40; i++) agg.add({ group: 'g', scores: [i % 4 === 0 ? 0.95 : 0.2, i % 2 ? 0.7 : 0.1] });
    const [g] = agg.finish().groups;
    expect(g.estimates.map((e) => e.method)).toEqual(['naive:a', 'corrected:a', 'naive:b', 'corrected:b', 'top-score']);
    expect(g.estimates[4].share).toBeCloseTo(0.25);
  });

  it('runs only the selected methods', () => {
    const agg = new EstimateAggregator(detectors, { minDocs: 1, replicates: 50, methods: new Set(['corrected']) });
    agg.add({ group: 'g', scores: [0.9, 0.1] });
    expect(agg.finish().groups[0].estimates.map((e) => e.method)).toEqual(['corrected:a', 'corrected:b']);
  });
});
