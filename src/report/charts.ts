/**
 * Server-side charts: a vega-lite spec compiled to vega and rendered to an
 * SVG string, for inlining into self-contained HTML reports (no network, no
 * browser). Specs must carry their data inline (`data.values`); a spec that
 * tries to load anything is rejected.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

export type VegaLiteSpec = vegaLite.TopLevelSpec;

/** Renders a vega-lite spec to an SVG string (`<svg …>…</svg>`). */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  // Vega logs and swallows load failures, so note every attempt and fail afterwards.
  const attempted: string[] = [];
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    attempted.push(uri);
    throw new Error('offline');
  };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    if (attempted.length > 0) throw new Error(`chart data must be inline; refusing to load ${attempted.join(', ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}
