/** Classify-and-count: the share of documents each detector labels AI at its threshold. */
import { classifyAndCount } from '../classify-count.js';
import type { Estimator } from '../estimator.js';
import { DetectorCounts } from './detector-counts.js';

export const naive: Estimator = {
  name: 'naive',
  describe: 'share of documents a detector labels AI at its threshold (biased; for reference)',
  needs: {},
  perDetector: true,
  create: ({ detectors, level, minDocs }) => ({
    group() {
      const c = new DetectorCounts(detectors);
      return {
        add: (doc) => c.add(doc),
        estimate: () =>
          detectors.map((d, i) => classifyAndCount(c.positives[i], c.scored[i], { detector: d.name, threshold: d.threshold, level, minDocs })),
      };
    },
  }),
};
