/**
 * Baseline-calibrated estimates: per stratum, error rates and score distributions measured on
 * the web's own pre-cutoff pages (or control texts) and on AI references — the
 * baseline-corrected count and the score-distribution mixture of each detector — plus the
 * word-occurrence mixture with P from the baseline. Drift bands are attached to each.
 */
import { fnv1a } from '../../core/hash.js';
import { Rng, mixSeed } from '../../core/rng.js';
import { attachDrift, type BaselineGroup } from '../baseline/estimator.js';
import type { PreparedTextItem } from '../baseline/word-mixture.js';
import type { Estimator, EstimatorDocument } from '../estimator.js';
import { noEstimate, type ShareEstimate } from '../types.js';

export const baseline: Estimator = {
  name: 'baseline',
  aliases: ['baseline-corrected', 'score-mixture', 'word-mixture'],
  describe:
    'domain-matched estimates against pre-cutoff pages (or control texts) and AI references: baseline-corrected counts, score and word mixtures',
  needs: { domainBaseline: true, text: true },
  create({ resources, level, replicates, seed, minDocs }) {
    const db = resources.domainBaseline;
    if (!db) return null;
    const common = { level, replicates, seed, minDocs };
    const words = db.words ?? null;
    const cap = db.wordsCap ?? 5000;
    // One reservoir stream for the whole run: which documents a group keeps depends on the
    // order documents arrive in, as the seeded stream is shared across groups.
    const reservoirRng = new Rng(20251122);
    return {
      needsText: Boolean(words),
      group(key) {
        const scores: BaselineGroup = db.estimator.group();
        /** Documents of the group that belong to the baseline itself. */
        let baselineDocs = 0;
        /** Reservoir of the group's documents as vocabulary ids for the word mixture. */
        const wordItems: PreparedTextItem[] = [];
        let wordSeen = 0;
        const addWordItem = (doc: EstimatorDocument): void => {
          if (!words || !doc.text || doc.isBaseline) return;
          const item = words.prepare({ fields: { lang: doc.lang, tld: doc.tld, words: doc.words }, text: doc.text });
          if (!item) return;
          wordSeen++;
          // Algorithm R: a uniform sample of at most `cap` documents.
          if (wordItems.length < cap) wordItems.push(item);
          else {
            const j = reservoirRng.int(wordSeen);
            if (j < cap) wordItems[j] = item;
          }
        };
        return {
          add(doc) {
            addWordItem(doc);
            if (doc.isBaseline) baselineDocs++;
            else scores.add({ fields: { lang: doc.lang, tld: doc.tld, words: doc.words }, scores: doc.scores });
          },
          estimate() {
            const out: ShareEstimate[] = [];
            const list = scores.estimate({ ...common, seed: mixSeed(seed, fnv1a(key)) });
            for (const e of list) {
              if (e.status === 'no-data' && baselineDocs > 0) {
                // Every scored document of the group is a baseline page: estimating it against itself says nothing.
                out.push({
                  ...noEstimate(
                    e.method,
                    e.kind,
                    e.detector,
                    'baseline-period',
                    baselineDocs,
                    level,
                    'all documents of this group are baseline pages (before the cutoff)',
                  ),
                  calibration: e.calibration,
                });
                continue;
              }
              if (baselineDocs > 0) e.note = `${e.note ? `${e.note}; ` : ''}${baselineDocs} baseline pages of this group left out`;
              out.push(e);
            }
            attachDrift(list, db.drift);
            if (words) {
              const e = words.estimate(wordItems, { ...common, seed: mixSeed(seed, fnv1a(key), 2) });
              e.calibration = db.wordsCalibration ?? 'baseline';
              if (e.status === 'no-data' && baselineDocs > 0) e.status = 'baseline-period';
              if (wordSeen > wordItems.length)
                e.note = `${e.note ? `${e.note}; ` : ''}a uniform sample of ${wordItems.length} of ${wordSeen} documents`;
              attachDrift([e], db.drift);
              out.push(e);
            }
            return out;
          },
        };
      },
    };
  },
};
