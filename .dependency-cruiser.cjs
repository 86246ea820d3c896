/**
 * Import boundaries, checked by `npm run lint` (depcruise src detectors --config .dependency-cruiser.cjs).
 *
 * Data flows up the layers below: a folder may import from its own layer and the layers
 * before it, never from a later one. Type-only imports count too (tsPreCompilationDeps).
 */

/** Lowest first. Folders sharing a layer may not import each other. */
const LAYERS = [
  { name: 'core', paths: ['src/core/'] },
  { name: 'sources', paths: ['src/sources/'] },
  { name: 'extract', paths: ['src/extract/'] },
  { name: 'detect', paths: ['src/detect/'] },
  { name: 'detectors', paths: ['detectors/'] },
  { name: 'store', paths: ['src/store/'] },
  { name: 'pipeline-synthesize', paths: ['src/pipeline/', 'src/synthesize/'] },
  { name: 'estimate', paths: ['src/estimate/'] },
  { name: 'report', paths: ['src/report/'] },
  { name: 'export', paths: ['src/export/'] },
  { name: 'collapse', paths: ['src/collapse/'] },
  { name: 'cli', paths: ['src/cli/'] },
];
/** The package entry; may import anything in src/ and detectors/. */
const TOP = 'src/index.ts';

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (paths) => `^(${paths.map(esc).join('|')})`;

/** For each layer: nothing in it imports a later layer or the entry (src/cli has its own rule below). */
const layerRules = LAYERS.map((layer, i) => {
  const higher = LAYERS.slice(i + 1)
    .flatMap((l) => l.paths)
    .filter((p) => p !== 'src/cli/');
  const lower = LAYERS.slice(0, i).map((l) => l.name);
  return {
    name: `layer-${layer.name}`,
    comment: `${layer.paths.join(' and ')} may only import earlier layers (${lower.join(', ') || 'none'})`,
    severity: 'error',
    from: { path: anyOf(layer.paths) },
    to: { path: higher.length > 0 ? `${anyOf(higher)}|^${esc(TOP)}$` : `^${esc(TOP)}$` },
  };
});

/** Folders sharing a layer stay apart. */
const siblingRules = LAYERS.filter((l) => l.paths.length > 1).flatMap((layer) =>
  layer.paths.map((from) => ({
    name: `apart-${from.replace(/^src\/|\/$/g, '')}`,
    comment: `${from} may not import ${layer.paths.filter((p) => p !== from).join(', ')}`,
    severity: 'error',
    from: { path: `^${esc(from)}` },
    to: { path: anyOf(layer.paths.filter((p) => p !== from)) },
  })),
);

const KNOWN_SRC = `${anyOf(LAYERS.flatMap((l) => l.paths).filter((p) => p.startsWith('src/')))}|^${esc(TOP)}$`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    ...siblingRules,
    {
      name: 'detectors-use-detect-and-core',
      comment: 'Built-in detectors import src/detect and src/core only (later layers are caught by layer-detectors).',
      severity: 'error',
      from: { path: '^detectors/' },
      to: { path: '^src/(sources|extract)/' },
    },
    {
      name: 'cli-only-from-index',
      comment: 'Only src/cli and src/index.ts import src/cli (bin/ccaudit.js loads dist/src/cli/main.js).',
      severity: 'error',
      from: { path: '^(src|detectors)/', pathNot: `^src/cli/|^${esc(TOP)}$` },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-dev-code',
      comment: 'Shipped code does not import tests, scripts or benchmarks.',
      severity: 'error',
      from: { path: '^(src|detectors)/' },
      to: { path: '^(tests|scripts|bench)/' },
    },
    {
      name: 'unknown-src-folder',
      comment: 'Every module under src/ is in a layer folder listed above (or is src/index.ts); add new folders to LAYERS.',
      severity: 'error',
      from: { path: '^src/', pathNot: KNOWN_SRC },
      to: {},
    },
    {
      name: 'unknown-src-folder-imported',
      comment: 'The same check for modules outside the layers that import nothing.',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: KNOWN_SRC },
    },
    {
      name: 'unknown-src-folder-orphan',
      comment: 'The same check for modules outside the layers that neither import nor are imported.',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: KNOWN_SRC },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      // `.js` specifiers name the `.ts` sources (NodeNext); the resolver tries these in order.
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
