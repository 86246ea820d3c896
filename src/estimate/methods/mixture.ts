/** Liang et al. (2024) word-occurrence mixture MLE against the shipped reference's P and Q. */
import { MIN_WORDS } from '../../detect/text.js';
import { resolveLanguage } from '../../detect/lang.js';
import type { Estimator } from '../estimator.js';
import { binRatios, mixtureShare, packRatios } from '../mixture.js';

export const mixture: Estimator = {
  name: 'mixture',
  describe: 'word-occurrence mixture MLE (Liang et al. 2024) with the shipped reference',
  needs: { reference: true, text: true },
  create({ resources, level, replicates, seed, minDocs }) {
    const ref = resources.reference;
    if (!ref) return null;
    const langs = ref.params.languages;
    const unit = ref.params.unit;
    let skippedLanguage = 0;
    return {
      summary: () => ({ mixtureSkippedLanguage: skippedLanguage }),
      group() {
        // One ratio per document (document unit) or per-document arrays (sentence unit).
        const docRatios: number[] = [];
        const unitRatios: Float64Array[] = [];
        return {
          add(doc) {
            const tokens = doc.tokens();
            // Like the detectors, the word statistics skip texts too short to say anything.
            if (!doc.text || !tokens || tokens.length < MIN_WORDS) return;
            const lang = langs.includes('*') ? '*' : resolveLanguage(doc.lang, doc.text.slice(0, 3000), tokens);
            if (!langs.includes('*') && !langs.includes(lang)) skippedLanguage++;
            else if (unit === 'document') {
              const r = ref.ratioOfTokens(tokens);
              if (r !== null) docRatios.push(r);
            } else {
              const rs = ref.ratios(doc.text);
              if (rs.length > 0) unitRatios.push(rs);
            }
          },
          estimate() {
            // Huge groups are binned: the likelihood then costs per bin, not per document.
            const data =
              unit === 'document'
                ? docRatios.length > 20000
                  ? binRatios(docRatios)
                  : packRatios(docRatios.map((r) => [r]))
                : packRatios(unitRatios);
            const est = mixtureShare(data, { level, replicates, seed, minDocs, unit });
            if (est.status === 'no-data') est.note = `no documents with text in ${langs.join('/')}`;
            return [est];
          },
        };
      },
    };
  },
};
