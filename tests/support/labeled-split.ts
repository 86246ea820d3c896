/**
 * Labelled texts split in half by opening group (a page and the AI texts that continue or
 * rewrite its opening stay on one side), in a seeded order: train on one half, test on the other.
 */
import { Rng } from '../../src/core/rng.js';
import { groupKey } from '../../src/detect/splits.js';

export function splitByOpening<T extends { text: string }>(records: readonly T[], seed: number): { train: T[]; test: T[] } {
  const rng = new Rng(seed);
  const groups = new Map<string, T[]>();
  for (const r of records) groups.set(groupKey(r.text), [...(groups.get(groupKey(r.text)) ?? []), r]);
  const order = [...groups.values()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const half = Math.floor(order.length / 2);
  return { train: order.slice(0, half).flat(), test: order.slice(half).flat() };
}
