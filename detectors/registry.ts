/**
 * The detector registry: built-ins by name plus plugin modules, selected, built and initialised
 * in the order asked for. Lives beside the built-ins because it is the one place that knows them.
 */
import type { Detector } from '../src/detect/types.js';
import { initDetectors } from '../src/detect/runner.js';
import { loadDetectorModule } from '../src/detect/plugin-loader.js';
import { BUILTIN_NAMES, createBuiltinDetector, type BuiltinOptions } from './index.js';

export interface DetectorSelection {
  /** Detector names; empty/undefined = every built-in plus every plugin detector. */
  names?: string[];
  /** Plugin module specs (`--detector-module`). */
  modules?: string[];
  builtin?: BuiltinOptions;
}

/** Builds (but does not init) the selected detectors, in the order asked for. */
export async function selectDetectors(sel: DetectorSelection): Promise<Detector[]> {
  const plugins: Detector[] = [];
  for (const spec of sel.modules ?? []) plugins.push(...(await loadDetectorModule(spec)));
  for (const p of plugins) {
    if (BUILTIN_NAMES.includes(p.name)) throw new Error(`plugin detector "${p.name}" clashes with a built-in detector`);
  }
  const names = sel.names && sel.names.length > 0 ? [...new Set(sel.names)] : [...BUILTIN_NAMES, ...plugins.map((p) => p.name)];
  for (const name of names) {
    if (!BUILTIN_NAMES.includes(name) && !plugins.some((p) => p.name === name)) {
      const known = [...BUILTIN_NAMES, ...plugins.map((p) => p.name)].join(', ');
      throw new Error(`unknown detector "${name}" (available: ${known})`);
    }
  }
  // Build everything but `segments` first, so segments can share its inner detector instance
  // (and that instance's memo of the last document) instead of loading a second copy.
  const built = new Map<string, Detector>();
  for (const p of plugins) built.set(p.name, p);
  for (const name of names) if (name !== 'segments' && !built.has(name)) built.set(name, createBuiltinDetector(name, sel.builtin ?? {}));
  if (names.includes('segments')) built.set('segments', createBuiltinDetector('segments', { ...sel.builtin, instances: built }));
  return names.map((name) => built.get(name)!);
}

/** Selects and initialises detectors (default: every built-in). */
export async function prepareDetectors(sel: DetectorSelection = {}): Promise<Detector[]> {
  const detectors = await selectDetectors(sel);
  await initDetectors(detectors);
  return detectors;
}
