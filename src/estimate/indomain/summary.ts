/**
 * What reports carry about the in-domain estimate: its series name, the details of each
 * period's estimate and the summary of the model behind the headline. Types only, so every
 * part of the estimate layer can name them without importing the estimator.
 */
import type { InDomainEstimate } from './model.js';
import type { SelfCheckResult } from './self-check.js';

/** The series name of the in-domain estimate. */
export const IN_DOMAIN_METHOD = 'in-domain';

/** What the estimate's details carry (the report's headline reads them). */
export interface InDomainDetails extends Omit<InDomainEstimate, 'share' | 'lo' | 'hi' | 'n'> {
  selfCheck: { n: number; meanAbsError: number; coverage: number; inflation: number; coverageAfter: number };
  auroc: number;
  generators: string[];
}

/** What the report says about the in-domain model behind the headline. */
export interface InDomainSummary {
  nHuman: number;
  nAi: number;
  /** Generators (or reference sets) of the AI references. */
  generators: string[];
  generatorsLeftOut: string[];
  /** Strata the components are post-stratified by: topic clusters within language groups. */
  clusters: number;
  /** Languages with strata of their own ("*" for all others together). */
  languages: string[];
  auroc: number;
  drift: { periods: string; estimate: number; band: number } | null;
  /** The self-check's figures, without its individual cases. */
  selfCheck: Omit<SelfCheckResult, 'cases'>;
  notes: string[];
}
