/**
 * Loads third-party detectors from a module path or npm package name
 * (`--detector-module ./my-detector.js`, `--detector-module some-package`).
 *
 * Accepted module shapes (ESM or CommonJS):
 *   export default detector            // one Detector object
 *   export default [detectorA, ...]    // several
 *   export default async (options) => detector | detector[]   // a factory
 *   export const detector = ... / export const detectors = [...]
 * Every detector is validated against the Detector interface; a malformed plugin is
 * rejected with a PluginError that names the module and the problem.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Detector } from './types.js';

export class PluginError extends Error {}

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Throws PluginError unless `d` implements the Detector interface. */
export function validateDetector(d: unknown, origin: string): Detector {
  const where = `detector plugin ${origin}`;
  if (!d || typeof d !== 'object') throw new PluginError(`${where}: expected a detector object, got ${d === null ? 'null' : typeof d}`);
  const o = d as Record<string, unknown>;
  if (typeof o.name !== 'string' || !NAME_RE.test(o.name)) {
    throw new PluginError(`${where}: "name" must be a lowercase string of letters, digits and dashes (got ${JSON.stringify(o.name)})`);
  }
  const label = `${where} (${o.name})`;
  if (typeof o.version !== 'string' || o.version.length === 0) throw new PluginError(`${label}: "version" must be a non-empty string`);
  if (typeof o.description !== 'string') throw new PluginError(`${label}: "description" must be a string`);
  if (!Array.isArray(o.languages) || o.languages.length === 0 || !o.languages.every((l) => typeof l === 'string')) {
    throw new PluginError(`${label}: "languages" must be a non-empty array of ISO 639-3 codes (or ["*"])`);
  }
  if (typeof o.score !== 'function') throw new PluginError(`${label}: "score" must be a function`);
  if (o.init !== undefined && typeof o.init !== 'function') throw new PluginError(`${label}: "init" must be a function when present`);
  if (o.scoreBatch !== undefined && typeof o.scoreBatch !== 'function') {
    throw new PluginError(`${label}: "scoreBatch" must be a function when present`);
  }
  return d as Detector;
}

function isPathLike(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?js$/.test(spec) || spec.includes('\\');
}

/** Resolves a module spec to an importable URL (paths relative to `cwd`; packages from cwd's node_modules). */
export function resolvePluginSpec(spec: string, cwd = process.cwd()): string {
  if (isPathLike(spec)) {
    const path = resolve(cwd, spec);
    if (!existsSync(path)) throw new PluginError(`detector plugin ${spec}: file not found (${path})`);
    return pathToFileURL(path).href;
  }
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch {
    // ESM-only packages may not resolve through require; let import() try (from ccaudit's node_modules).
    return spec;
  }
}

/** Imports a plugin module and returns its validated detectors. */
export async function loadDetectorModule(spec: string, options: Record<string, unknown> = {}, cwd = process.cwd()): Promise<Detector[]> {
  const url = resolvePluginSpec(spec, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new PluginError(`detector plugin ${spec}: cannot import (${(err as Error).message.split('\n')[0]})`);
  }
  let exported: unknown = mod.default ?? mod.detectors ?? mod.detector;
  // CommonJS modules arrive as { default: module.exports }.
  if (
    exported &&
    typeof exported === 'object' &&
    !Array.isArray(exported) &&
    'default' in (exported as object) &&
    !('score' in (exported as object))
  ) {
    exported = (exported as Record<string, unknown>).default;
  }
  if (exported === undefined) {
    throw new PluginError(`detector plugin ${spec}: no default export (expected a detector, an array of detectors or a factory)`);
  }
  if (typeof exported === 'function') {
    try {
      exported = await (exported as (o: Record<string, unknown>) => unknown)(options);
    } catch (err) {
      throw new PluginError(`detector plugin ${spec}: factory failed (${(err as Error).message})`);
    }
  }
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw new PluginError(`detector plugin ${spec}: exports no detectors`);
  const detectors = list.map((d) => validateDetector(d, spec));
  const names = new Set<string>();
  for (const d of detectors) {
    if (names.has(d.name)) throw new PluginError(`detector plugin ${spec}: two detectors are named "${d.name}"`);
    names.add(d.name);
  }
  return detectors;
}
