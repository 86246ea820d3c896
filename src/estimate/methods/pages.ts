/** Page-level shares from the chunk-fraction detector: "primarily AI" and "≥ x AI" pages. */
import type { Estimator } from '../estimator.js';
import { aiFractionShare, isPrimarilyAi, primarilyAiShare } from '../pages.js';

export const pages: Estimator = {
  name: 'pages',
  aliases: ['primarily-ai', 'ai-fraction'],
  describe: 'pages with more than half (primarily-ai) or at least --page-fraction (ai-fraction) of their chunks judged AI',
  needs: {},
  create({ detectors, segmentsDetector, pageFraction, level, minDocs }) {
    const index = detectors.findIndex((d) => d.name === segmentsDetector);
    if (index < 0) return null;
    return {
      group() {
        let scored = 0;
        let primarily = 0;
        let atLeast = 0;
        return {
          add(doc) {
            const f = doc.scores[index];
            if (f === null || f === undefined || !Number.isFinite(f)) return;
            scored++;
            if (isPrimarilyAi(f)) primarily++;
            if (f >= pageFraction) atLeast++;
          },
          estimate: () => [
            primarilyAiShare(primarily, scored, { detector: segmentsDetector, level, minDocs }),
            aiFractionShare(atLeast, scored, pageFraction, { detector: segmentsDetector, level, minDocs }),
          ],
        };
      },
    };
  },
};
