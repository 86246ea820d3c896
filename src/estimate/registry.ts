/**
 * The built-in estimators, in the order the report shows their estimates within a group.
 * `--method` accepts their names and aliases; adding a method is one module and one line here.
 */
import type { Estimator, EstimatorNeeds } from './estimator.js';
import { inDomain } from './methods/indomain.js';
import { naive } from './methods/naive.js';
import { corrected } from './methods/corrected.js';
import { baseline } from './methods/baseline.js';
import { mixture } from './methods/mixture.js';
import { pages } from './methods/pages.js';
import { excess } from './methods/excess.js';

export const ESTIMATORS: readonly Estimator[] = [inDomain, naive, corrected, baseline, mixture, pages, excess];

/** `--method` names of the built-in estimators, in report order. */
export const METHOD_NAMES: readonly string[] = ESTIMATORS.map((e) => e.name);

/** The estimator a `--method` value (name or alias) means, if any. */
export function findEstimator(nameOrAlias: string, estimators: readonly Estimator[] = ESTIMATORS): Estimator | undefined {
  return estimators.find((e) => e.name === nameOrAlias || e.aliases?.includes(nameOrAlias));
}

/** The estimators among `names` (all when undefined), in registry order. */
export function selectEstimators(names?: ReadonlySet<string>, estimators: readonly Estimator[] = ESTIMATORS): Estimator[] {
  return names ? estimators.filter((e) => names.has(e.name)) : [...estimators];
}

/** Whether any of the estimators needs `what`. */
export function anyNeeds(estimators: readonly Estimator[], what: keyof EstimatorNeeds): boolean {
  return estimators.some((e) => e.needs[what] === true);
}
