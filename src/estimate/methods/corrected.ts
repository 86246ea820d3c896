/** Rogan–Gladen error-corrected share with each detector's calibrated TPR/FPR. */
import { correctedShare } from '../corrected.js';
import type { Estimator } from '../estimator.js';
import { DetectorCounts } from './detector-counts.js';

export const corrected: Estimator = {
  name: 'corrected',
  describe: 'error-corrected share (Rogan–Gladen with the calibrated TPR/FPR of each detector)',
  needs: {},
  perDetector: true,
  create: ({ detectors, level, replicates, seed, minDocs }) => ({
    group() {
      const c = new DetectorCounts(detectors);
      return {
        add: (doc) => c.add(doc),
        estimate: () =>
          detectors.map((d, i) => {
            const e = correctedShare(c.positives[i], c.scored[i], d.calibration, { level, replicates, seed, minDocs, detector: d.name });
            if (d.calibration) e.calibration = 'development';
            return e;
          }),
      };
    },
  }),
};
