/**
 * The one number per period a report leads with. Preference, best first:
 *  1. the in-domain estimate (a discriminator trained on this audit's baseline and AI
 *     references), with the audit's own known-answer self-check;
 *  2. the score mixture of the detector that best separates this audit's baseline from its
 *     references (baseline-calibrated, no self-check: too few references for the in-domain
 *     model);
 *  3. the development-calibrated correction of the classifier, marked "not calibrated to this
 *     corpus", its interval widened by the error such estimates showed across domains.
 * A period gets no headline (with the reason) when it has too few documents, when no method
 * has a number, or when most of its documents are unlike every topic of the baseline.
 */
import { pointsText, type ShareEstimate } from './types.js';
import { IN_DOMAIN_METHOD, type InDomainDetails } from './indomain/summary.js';

/**
 * Mean absolute error of development-calibrated estimates on web-like domains they were not
 * calibrated on (22–25 points on held-out known-answer audits); the fallback's interval is
 * widened by it.
 */
export const CROSS_DOMAIN_ERROR = 0.2;

/** A headline withheld when more than this share of a period's documents is unlike the baseline's topics. */
export const MAX_NOVEL_SHARE = 0.5;

/** How well the headline's method did on known answers. */
export interface HeadlineCheck {
  /** 'self-check': known-answer mixtures of this audit's own held-out data; 'cross-domain': the development calibration's measured error elsewhere; 'none'. */
  kind: 'self-check' | 'cross-domain' | 'none';
  /** Mean absolute error of the point estimate (a share), when measured. */
  meanAbsError: number | null;
  /** Share of known-answer intervals that covered the truth (before any widening). */
  coverage: number | null;
  /** Known-answer mixtures run. */
  n: number;
  /**
   * The same check on mixtures with this period's own mix of topic strata (point error only):
   * a month of one topic is checked on that topic. Null when the method has no self-check.
   */
  period: { meanAbsError: number; n: number } | null;
  /** The check in one line, for tables and charts (the audit-wide figures). */
  text: string;
}

/** A period's headline estimate (`groups[].headline` in the JSON report). */
export interface Headline {
  share: number;
  lo: number;
  hi: number;
  /** The series it comes from, e.g. "in-domain" or "score-mixture:classifier". */
  method: string;
  n: number;
  check: HeadlineCheck;
  /** Which reference calibrated it. */
  calibration: 'baseline' | 'user-labeled' | 'development';
  /** What the reader should know (bound hit, widened interval, fallback). */
  note: string | null;
}

export interface HeadlineChoice {
  headline: Headline | null;
  /** Why there is no headline, or which fallback it is. */
  reason: string | null;
}

/** The headline of one period from its estimates. */
export function chooseHeadline(
  estimates: readonly ShareEstimate[],
  o: { tooFew: boolean; minDocs: number; recommended: string | null },
): HeadlineChoice {
  if (o.tooFew) return { headline: null, reason: `too few documents (minimum ${o.minDocs})` };
  const ok = (e: ShareEstimate | undefined): e is ShareEstimate & { share: number; lo: number; hi: number } =>
    e !== undefined && e.status === 'ok' && e.share !== null && e.lo !== null && e.hi !== null;
  const inDomain = estimates.find((e) => e.method === IN_DOMAIN_METHOD);
  if (
    estimates.some((e) => e.status === 'baseline-period') &&
    !estimates.some((e) => (e.calibration === 'baseline' || e.calibration === 'user-labeled') && ok(e))
  )
    return { headline: null, reason: 'baseline period: its pages are the human baseline the estimates are calibrated on' };
  if (ok(inDomain)) {
    const d = inDomain.details as unknown as InDomainDetails;
    if (d.novelShare > MAX_NOVEL_SHARE)
      return {
        headline: null,
        reason: `withheld: ${Math.round(d.novelShare * 100)} % of this period's documents are unlike every topic of the baseline and references; add baseline pages and references on these topics`,
      };
    const sc = d.selfCheck;
    return {
      headline: {
        share: inDomain.share,
        lo: inDomain.lo,
        hi: inDomain.hi,
        method: IN_DOMAIN_METHOD,
        n: inDomain.n,
        check: {
          kind: 'self-check',
          meanAbsError: sc.meanAbsError,
          coverage: sc.coverage,
          n: sc.n,
          period: d.periodCheck ?? null,
          text: `self-check: mean error ${pointsText(sc.meanAbsError)}, ${Math.round(sc.coverage * 100)} % of ${sc.n} known-answer intervals covered${sc.inflation > 1 ? ` (intervals widened ×${sc.inflation})` : ''}`,
        },
        calibration: inDomain.calibration === 'user-labeled' ? 'user-labeled' : 'baseline',
        note: d.atBound ? `the estimate sits on ${inDomain.share <= 0 ? '0' : '1'}` : null,
      },
      reason: null,
    };
  }
  const mixture =
    estimates.find((e) => e.kind === 'score-mixture' && e.detector === o.recommended) ?? estimates.find((e) => e.kind === 'score-mixture' && ok(e));
  if (ok(mixture)) {
    const band = mixture.systematic?.halfWidth ?? 0;
    return {
      headline: {
        share: mixture.share,
        lo: Math.max(0, mixture.lo - band),
        hi: Math.min(1, mixture.hi + band),
        method: mixture.method,
        n: mixture.n,
        check: {
          kind: 'none',
          meanAbsError: null,
          coverage: null,
          n: 0,
          period: null,
          text: 'no known-answer check: the in-domain estimate needs more baseline pages and AI references',
        },
        calibration: mixture.calibration === 'user-labeled' ? 'user-labeled' : 'baseline',
        note: inDomain?.note ?? null,
      },
      reason: 'fallback: baseline-calibrated score mixture',
    };
  }
  const corrected =
    estimates.find((e) => e.kind === 'corrected' && e.detector === 'classifier' && ok(e)) ?? estimates.find((e) => e.kind === 'corrected' && ok(e));
  if (ok(corrected)) {
    return {
      headline: {
        share: corrected.share,
        lo: Math.max(0, corrected.lo - CROSS_DOMAIN_ERROR),
        hi: Math.min(1, corrected.hi + CROSS_DOMAIN_ERROR),
        method: corrected.method,
        n: corrected.n,
        check: {
          kind: 'cross-domain',
          meanAbsError: CROSS_DOMAIN_ERROR,
          coverage: null,
          n: 0,
          period: null,
          text: `not calibrated to this corpus: development calibration, interval widened by ±${pointsText(CROSS_DOMAIN_ERROR)} (its error on other domains)`,
        },
        calibration: 'development',
        note: 'not calibrated to this corpus',
      },
      reason: 'fallback: development calibration',
    };
  }
  // Enough documents, but too few of them scored (pages too short, or in a script no detector reads).
  // (The excess-vocabulary lower bound reads unscored text and is never a headline.)
  const shares = estimates.filter((e) => e.kind !== 'excess-lower-bound');
  if (shares.some((e) => e.status === 'too-few-documents') && shares.every((e) => e.status === 'too-few-documents' || e.status === 'no-data')) {
    // Detector-based estimates count scored documents (the word mixtures count documents with words).
    const scored = Math.max(0, ...shares.filter((e) => e.status === 'too-few-documents' && e.detector !== null).map((e) => e.n));
    return { headline: null, reason: `too few scored documents (${scored} scored, minimum ${o.minDocs})` };
  }
  return { headline: null, reason: 'no method has an estimate for this period' };
}
