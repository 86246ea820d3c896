/**
 * The in-domain estimate: a discriminator trained for this audit on its own baseline pages
 * against its own AI references, cross-fitted, and each period's share as the weight of the
 * mixture of their held-out score distributions (../indomain/model.ts). It needs the texts of
 * the baseline, the references and the audited documents.
 */
import { fnv1a } from '../../core/hash.js';
import { mixSeed } from '../../core/rng.js';
import type { Estimator } from '../estimator.js';
import { InDomainModel, type PreparedDocument, type InDomainInfo } from '../indomain/model.js';
import { noEstimate, okEstimate, type ShareEstimate } from '../types.js';
import { IN_DOMAIN_METHOD, type InDomainDetails, type InDomainSummary } from '../indomain/summary.js';

export { IN_DOMAIN_METHOD };

function percent(x: number): string {
  return `${(x * 100).toFixed(1)} pts`;
}

/** The estimate of one period from its scored documents. */
export function inDomainEstimate(
  model: InDomainModel | null,
  docs: readonly PreparedDocument[],
  o: { level: number; seed: number; minDocs: number; baselineDocs: number },
): ShareEstimate {
  const calibration = 'baseline' as const;
  if (docs.length === 0 && o.baselineDocs > 0)
    return {
      ...noEstimate(
        IN_DOMAIN_METHOD,
        'in-domain',
        null,
        'baseline-period',
        o.baselineDocs,
        o.level,
        'all documents of this group are baseline pages (before the cutoff)',
      ),
      calibration,
    };
  if (docs.length < o.minDocs) return { ...noEstimate(IN_DOMAIN_METHOD, 'in-domain', null, 'too-few-documents', docs.length, o.level), calibration };
  if (!model) throw new Error('in-domain estimate without a model');
  const e = model.estimate(docs, o.seed);
  const info = model.info;
  const sc = info.selfCheck;
  const parts = [
    `discriminator AUROC ${info.auroc.toFixed(2)} (baseline vs references, held out)`,
    `interval widened for generator shift ±${percent(e.bands.generator)}, drift ±${percent(e.bands.drift)}${e.bands.novelty > 0 ? `, unfamiliar topics ±${percent(e.bands.novelty)}` : ''}`,
  ];
  if (sc.inflation > 1) parts.push(`statistical interval ×${sc.inflation} (self-check coverage)`);
  if (e.atBound) parts.push(`the estimate sits on ${e.share <= 0 ? '0' : '1'} (the likelihood is highest at the bound)`);
  if (o.baselineDocs > 0) parts.push(`${o.baselineDocs} baseline pages of this group left out`);
  const details: InDomainDetails = {
    statistical: e.statistical,
    bands: e.bands,
    novelShare: e.novelShare,
    compositionDistance: e.compositionDistance,
    atBound: e.atBound,
    periodCheck: e.periodCheck,
    selfCheck: { n: sc.n, meanAbsError: sc.meanAbsError, coverage: sc.coverage, inflation: sc.inflation, coverageAfter: sc.coverageAfter },
    auroc: info.auroc,
    generators: info.generators,
  };
  return okEstimate({
    method: IN_DOMAIN_METHOD,
    kind: 'in-domain',
    detector: null,
    share: e.share,
    lo: e.lo,
    hi: e.hi,
    level: o.level,
    n: e.n,
    note: parts.join('; '),
    details: details as unknown as Record<string, unknown>,
    calibration,
  });
}

/** Builds the audit's model from the domain baseline's texts; a string says why it cannot. */
export function buildInDomainModel(
  human: ReadonlyArray<{ text?: string | null; month?: string | null }>,
  ai: ReadonlyArray<{ text?: string | null; generator?: string | null }>,
  o: { level: number; replicates: number; seed: number },
): InDomainModel | string {
  const h = human.filter((x) => x.text).map((x) => ({ text: x.text!, month: x.month ?? null }));
  const a = ai.filter((x) => x.text).map((x) => ({ text: x.text!, generator: x.generator ?? null }));
  try {
    return InDomainModel.build(h, a, o);
  } catch (err) {
    return (err as Error).message;
  }
}

export const inDomain: Estimator = {
  name: IN_DOMAIN_METHOD,
  describe:
    "a discriminator trained on this audit's baseline pages against its AI references (cross-fitted); the share is the weight of the mixture of their held-out scores",
  needs: { domainBaseline: true, text: true },
  create({ resources, level, replicates, seed, minDocs }) {
    const db = resources.domainBaseline;
    if (!db) return null;
    const model = db.inDomain ?? buildInDomainModel(db.estimator.baseline, db.estimator.ai, { level, replicates, seed });
    return {
      needsText: true,
      summary: () =>
        typeof model === 'string' ? { inDomain: null, notes: [`in-domain estimate off: ${model}.`] } : { inDomain: summarizeModel(model.info) },
      group(key) {
        const docs: PreparedDocument[] = [];
        let baselineDocs = 0;
        let audited = 0;
        return {
          add(doc) {
            if (doc.isBaseline) baselineDocs++;
            else if (doc.text) {
              audited++;
              if (typeof model !== 'string') docs.push(model.prepare(doc.text));
            }
          },
          estimate() {
            if (typeof model === 'string' && audited === 0 && baselineDocs > 0)
              return [inDomainEstimate(null, [], { level, seed, minDocs, baselineDocs })];
            if (typeof model === 'string')
              return [
                {
                  ...noEstimate(IN_DOMAIN_METHOD, 'in-domain', null, 'not-identifiable', docs.length, level, `no in-domain model: ${model}`),
                  calibration: 'baseline',
                },
              ];
            return [inDomainEstimate(model, docs, { level, seed: mixSeed(seed, fnv1a(key), 5), minDocs, baselineDocs })];
          },
        };
      },
    };
  },
};

/** The report's summary of a model (no per-case self-check rows). */
export function summarizeModel(info: InDomainInfo): InDomainSummary {
  const { cases: _cases, ...selfCheck } = info.selfCheck;
  return {
    nHuman: info.nHuman,
    nAi: info.nAi,
    generators: info.generators,
    generatorsLeftOut: info.generatorsLeftOut,
    clusters: info.clusters,
    languages: info.languages,
    auroc: info.auroc,
    drift: info.drift,
    selfCheck,
    notes: info.notes,
  };
}

export type { InDomainInfo };
