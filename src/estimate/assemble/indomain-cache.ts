/**
 * The in-domain model of a store's audit: loaded from the store when one was trained on
 * exactly the same baseline pages, references and settings before, else trained now and
 * stored (through a short read-write connection, so `report` keeps its read-only handle).
 * A store that cannot be written to (read-only file or directory) still gets its report; the
 * note says the model was not kept.
 */
import { sha256Hex } from '../../core/hash.js';
import { openStore, type Store } from '../../store/index.js';
import { loadInDomainModel, saveInDomainModel } from '../../store/indomain-models.js';
import type { DomainBaselineConfig } from '../estimator.js';
import { InDomainModel } from '../indomain/model.js';
import { MODEL_FORMAT } from '../indomain/model-bytes.js';
import { buildInDomainModel } from '../methods/indomain.js';

export interface InDomainSettings {
  level: number;
  replicates: number;
  seed: number;
}

/** What the model depends on, hashed: every training text with its month or generator, and the settings. */
export function inDomainFingerprint(db: DomainBaselineConfig, o: InDomainSettings): string {
  const parts: string[] = [`format ${MODEL_FORMAT}`, `level ${o.level}`, `replicates ${o.replicates}`, `seed ${o.seed}`];
  for (const x of db.estimator.baseline) parts.push(`h ${x.month ?? ''} ${sha256Hex(x.text ?? '')}`);
  for (const x of db.estimator.ai) parts.push(`a ${(x as { generator?: string | null }).generator ?? ''} ${sha256Hex(x.text ?? '')}`);
  return sha256Hex(parts.join('\n'));
}

export function inDomainModelFor(store: Store, db: DomainBaselineConfig, o: InDomainSettings): { model: InDomainModel | string; notes: string[] } {
  const fingerprint = inDomainFingerprint(db, o);
  const stored = loadInDomainModel(store, fingerprint);
  if (stored && stored.format === MODEL_FORMAT) {
    try {
      return { model: InDomainModel.fromBytes(stored.payload), notes: [] };
    } catch {
      // A damaged row is retrained and replaced below.
    }
  }
  const model = buildInDomainModel(db.estimator.baseline, db.estimator.ai, o);
  if (typeof model === 'string') return { model, notes: [] };
  try {
    const writable = openStore(store.path, { create: false });
    try {
      saveInDomainModel(writable, fingerprint, { format: MODEL_FORMAT, payload: model.toBytes(), nHuman: model.info.nHuman, nAi: model.info.nAi });
    } finally {
      writable.close();
    }
    return { model, notes: [] };
  } catch (err) {
    return { model, notes: [`the in-domain model could not be stored (${(err as Error).message}): the next report trains it again.`] };
  }
}
