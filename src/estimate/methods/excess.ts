/** Kobak et al. (2024) excess-vocabulary lower bound from marker-word frequencies per month. */
import { MIN_WORDS } from '../../detect/text.js';
import type { Estimator } from '../estimator.js';
import { MarkerAccumulator, excessAnalysis, type ExcessAnalysis } from '../excess.js';
import { noEstimate, type ShareEstimate } from '../types.js';

export const excess: Estimator = {
  name: 'excess',
  aliases: ['excess-lower-bound', 'gpt-words'],
  describe: 'excess-vocabulary lower bound (Kobak et al. 2024) and GPT-word trends; per-month bounds need month groups',
  needs: { markers: true, text: true },
  create(ctx) {
    const markers = ctx.resources.markers;
    if (!markers) return null;
    const { level, replicates, seed, minDocs } = ctx;
    const counts = new MarkerAccumulator();
    let analysis: ExcessAnalysis | null = null;
    let byPeriod = new Map<string, ShareEstimate>();
    return {
      finish() {
        // The counterfactual frequency comes from the months before baselineBefore, so every
        // month's bound depends on all months: computed once here.
        analysis = excessAnalysis(counts.periods(), markers.lexicon, {
          level,
          replicates,
          seed,
          minDocs,
          baselineBefore: ctx.baselineBefore,
          baseline: ctx.baseline,
        });
        byPeriod = new Map(analysis.periods.map((p) => [p.period, p.lowerBound]));
      },
      summary: () => ({ excess: analysis }),
      group(key) {
        return {
          add(doc) {
            const tokens = doc.tokens();
            if (!tokens || tokens.length < MIN_WORDS) return;
            counts.add(key, markers.countTokens(tokens));
          },
          estimate() {
            if (!ctx.groupsAreMonths) return [];
            // excessAnalysis applies minDocs to the documents that have text.
            return [
              byPeriod.get(key) ??
                noEstimate('excess-lower-bound', 'excess-lower-bound', null, 'no-data', 0, level, `no documents with ≥ ${MIN_WORDS} words of text`),
            ];
          },
        };
      },
    };
  },
};
