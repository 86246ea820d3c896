/**
 * A minimal self-contained HTML page: inline CSS, inline SVG charts, no
 * scripts, no external resources. Every string from data goes through
 * escapeHtml; only markup built here (or SVG from the chart renderer) is
 * inserted raw.
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Markup that is already safe to insert (built by these helpers or by the chart renderer). */
export interface SafeHtml {
  readonly html: string;
}

export const safe = (html: string): SafeHtml => ({ html });

/** Escaped text. */
export const text = (value: string | number): SafeHtml => safe(escapeHtml(String(value)));

/** <tag>children</tag> with an optional class; children are SafeHtml or text to escape. */
export function el(tag: string, children: Array<SafeHtml | string | number>, className?: string): SafeHtml {
  const inner = children.map((c) => (typeof c === 'object' ? c.html : escapeHtml(String(c)))).join('');
  return safe(`<${tag}${className ? ` class="${escapeHtml(className)}"` : ''}>${inner}</${tag}>`);
}

/** A table with escaped header and cell text. */
export function table(headers: string[], rows: Array<Array<string | number>>): SafeHtml {
  const head = el(
    'tr',
    headers.map((h) => el('th', [h])),
  );
  const body = rows.map((row) =>
    el(
      'tr',
      row.map((cell) => el('td', [cell], typeof cell === 'number' ? 'num' : undefined)),
    ),
  );
  return el('table', [el('thead', [head]), el('tbody', body)]);
}

/** An SVG string from the chart renderer, wrapped in a figure with an escaped caption. */
export function figure(svg: string, caption?: string): SafeHtml {
  return safe(`<figure>${svg}${caption ? el('figcaption', [caption]).html : ''}</figure>`);
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.subtitle { color: #666; margin-top: 0; } .note { color: #555; font-size: .92rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; } figcaption { font-size: .85rem; color: #555; max-width: 420px; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; } th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } thead { background: #f4f4f4; }
code { background: #f4f4f4; padding: 0 .2rem; }
`;

/** A complete HTML document. */
export function htmlPage(opts: { title: string; subtitle?: string; body: SafeHtml[] }): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(opts.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    el('h1', [opts.title]).html,
    opts.subtitle ? el('p', [opts.subtitle], 'subtitle').html : '',
    ...opts.body.map((b) => b.html),
    '</body></html>',
    '',
  ].join('\n');
}
