import { describe, expect, it } from 'vitest';
import { vegaLiteToSvg } from '../../src/report/charts.js';
import { el, escapeHtml, htmlPage, table, text } from '../../src/report/html.js';

describe('report HTML helpers', () => {
  it('escapes every markup character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('builds a page whose data strings are all escaped', () => {
    const page = htmlPage({
      title: 'T <1>',
      subtitle: 'S & s',
      body: [el('p', ['<script>alert(1)</script>', text(' & more')]), table(['<h>'], [['<c>', 3]])],
    });
    expect(page).toContain('<title>T &lt;1&gt;</title>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(page).toContain('<th>&lt;h&gt;</th>');
    expect(page).toContain('<td class="num">3</td>');
    expect(page).not.toContain('<script>');
  });

  it('renders a vega-lite spec to an SVG string, escaping text marks', async () => {
    const svg = await vegaLiteToSvg({
      data: { values: [{ x: 1, y: 2, label: '<b>&' }] },
      mark: 'text',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).not.toContain('<b>');
  });

  it('refuses charts that would load data from a URL', async () => {
    await expect(
      vegaLiteToSvg({ data: { url: 'http://127.0.0.1:9/data.json' }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } }),
    ).rejects.toThrow(/chart data must be inline; refusing to load/);
  });
});
