/**
 * `--format html`: one self-contained page (inline CSS, inline SVG charts rendered with
 * Vega-Lite on the server, no scripts, no network). Every string that came from the web or
 * from the data — titles, URLs, domains, group keys — is escaped by the html.ts helpers or by
 * Vega's SVG renderer; URLs are shown as text, never as links.
 */
import { vegaLiteToSvg, type VegaLiteSpec } from './charts.js';
import { el, figure, htmlPage, safe, table, type SafeHtml } from './html.js';
import type { ShareReport } from '../estimate/model.js';
import { periodDate } from '../core/months.js';
import {
  calibrationLabel,
  commonFailure,
  dateSourceText,
  driftText,
  groupLabel,
  interval,
  isDomainCalibrated,
  pct,
  ppText,
  ppValue,
  signedPct,
  statusText,
  strataFallbackLines,
  strataSpecText,
  aurocText,
  recommendationText,
  strataViews,
  stratumLevelText,
} from './format.js';
import type { ShareEstimate } from '../estimate/model.js';
import type { DomainCalibrationInfo } from '../estimate/model.js';
import { headlineCheckLines, type MethodsShown } from './table.js';

const WIDTH = 460;
const HEIGHT = 240;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthAxis = {
  field: 'date',
  type: 'temporal' as const,
  timeUnit: 'utcyearmonth' as const,
  title: null,
  axis: { format: '%Y-%m', labelAngle: -40 },
};
const legend = { orient: 'bottom' as const, columns: 2, title: null, labelLimit: 260 };

const isMonthly = (r: ShareReport) => r.groupBy === 'month' && r.groups.some((g) => PERIOD.test(g.key));

interface ShareRow {
  date?: string;
  group: string;
  method: string;
  share: number;
  lo: number;
  hi: number;
  /** share ± the drift band's half-width (clipped to [0, 1]), when the estimate has one. */
  driftLo?: number;
  driftHi?: number;
}

function shareRows(r: ShareReport, keep: (e: ShareEstimate) => boolean): ShareRow[] {
  return r.groups.flatMap((g) =>
    g.estimates
      .filter((e) => e.status === 'ok' && keep(e))
      .map((e) => {
        const row: ShareRow = {
          date: periodDate(g.key) ?? undefined,
          group: g.key,
          method: e.method,
          share: e.share!,
          lo: e.lo!,
          hi: e.hi!,
        };
        const hw = e.systematic?.halfWidth;
        if (hw !== undefined && hw !== null && Number.isFinite(hw)) {
          row.driftLo = Math.max(0, e.share! - hw);
          row.driftHi = Math.min(1, e.share! + hw);
        }
        return row;
      }),
  );
}

/** Layer name of the drift band (also the SVG class prefix of its marks: `drift_band_marks`). */
export const DRIFT_LAYER = 'drift_band';

/**
 * Lines with interval bands per method over months; points with error bars for other
 * groupings. Series with a drift band get a lighter band (share ± half-width) beneath the
 * interval band: the systematic error, drawn next to the statistical one, not merged into it.
 */
function shareChart(title: string, rows: ShareRow[], monthly: boolean): VegaLiteSpec {
  // Opaque swatches: the legend otherwise takes the faint band layer's opacity.
  const color = { field: 'method', type: 'nominal' as const, legend: { ...legend, symbolOpacity: 1 } };
  const y = { field: 'share', type: 'quantitative' as const, title: 'AI share', axis: { format: '.0%' }, scale: { domain: [0, 1] } };
  const drifting = rows.filter((r) => r.driftLo !== undefined);
  if (monthly) {
    const driftLayer = {
      name: DRIFT_LAYER,
      data: { values: drifting },
      mark: { type: 'area', opacity: 0.07 },
      encoding: { x: monthAxis, y: { ...y, field: 'driftLo' }, y2: { field: 'driftHi' }, color },
    };
    return {
      title: { text: title, fontSize: 13 },
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      layer: [
        ...(drifting.length > 0 ? [driftLayer] : []),
        { mark: { type: 'area', opacity: 0.15 }, encoding: { x: monthAxis, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', strokeWidth: 2, point: true }, encoding: { x: monthAxis, y, color } },
      ],
    } as VegaLiteSpec;
  }
  const x = { field: 'group', type: 'nominal' as const, title: null, sort: null, axis: { labelAngle: -40, labelLimit: 140 } };
  const driftLayer = {
    name: DRIFT_LAYER,
    data: { values: drifting },
    mark: { type: 'rule', strokeWidth: 7, opacity: 0.25 },
    encoding: { x, xOffset: { field: 'method' }, y: { ...y, field: 'driftLo' }, y2: { field: 'driftHi' }, color },
  };
  return {
    title: { text: title, fontSize: 13 },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      ...(drifting.length > 0 ? [driftLayer] : []),
      { mark: { type: 'rule' }, encoding: { x, xOffset: { field: 'method' }, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
      { mark: { type: 'point', filled: true }, encoding: { x, xOffset: { field: 'method' }, y, color } },
    ],
  } as VegaLiteSpec;
}

function documentsChart(r: ShareReport, monthly: boolean): VegaLiteSpec {
  const rows = r.groups.flatMap((g) => Object.entries(g.dateSources).map(([source, n]) => ({ date: periodDate(g.key), group: g.key, source, n })));
  const x = monthly ? monthAxis : { field: 'group', type: 'nominal' as const, title: null, sort: null, axis: { labelAngle: -40, labelLimit: 140 } };
  return {
    title: { text: `documents per ${groupLabel(r)}, by date source`, fontSize: 13 },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x,
      y: { field: 'n', type: 'quantitative', aggregate: 'sum', title: 'documents' },
      color: { field: 'source', type: 'nominal', legend },
    },
  } as VegaLiteSpec;
}

function gptWordCharts(r: ShareReport, monthly: boolean): VegaLiteSpec[] {
  const gw = r.gptWords;
  if (!gw || gw.periods.length === 0) return [];
  const x = monthly ? monthAxis : { field: 'group', type: 'nominal' as const, title: null, sort: null };
  const whole = gw.periods
    .filter((p) => !monthly || periodDate(p.period) !== null)
    .map((p) => ({ date: periodDate(p.period), group: p.period, opm: p.opm, series: 'whole lexicon' }));
  const words = gw.words
    .slice(0, 8)
    .flatMap((w) =>
      w.periods
        .filter((p) => !monthly || periodDate(p.period) !== null)
        .map((p) => ({ date: periodDate(p.period), group: p.period, opm: p.opm, series: w.forms[0] ?? w.key })),
    );
  const chart = (title: string, values: unknown[]): VegaLiteSpec =>
    ({
      title: { text: title, fontSize: 13 },
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      // Trends over months are lines; other groupings are categories, so grouped bars.
      mark: monthly ? { type: 'line', point: true } : { type: 'bar' },
      encoding: {
        x,
        ...(monthly ? {} : { xOffset: { field: 'series' } }),
        y: { field: 'opm', type: 'quantitative', title: 'per million words' },
        color: { field: 'series', type: 'nominal', legend },
      },
    }) as VegaLiteSpec;
  return [chart(`marker words per million words (${gw.lexicon.entries}-word lexicon)`, whole), chart('most frequent marker words', words)];
}

function agreementChart(r: ShareReport): VegaLiteSpec | null {
  if (r.agreement.length === 0) return null;
  const names = r.detectors.map((d) => d.name);
  const cells = [
    ...names.map((n) => ({ a: n, b: n, kappa: 1, label: '1.00' })),
    ...r.agreement.flatMap((p) => {
      const label = p.kappa === null ? '–' : p.kappa.toFixed(2);
      return [
        { a: p.a, b: p.b, kappa: p.kappa, label },
        { a: p.b, b: p.a, kappa: p.kappa, label },
      ];
    }),
  ];
  const axis = { sort: names, title: null };
  return {
    title: { text: "detector agreement (Cohen's κ of AI labels)", fontSize: 13 },
    width: 60 * names.length,
    height: 60 * names.length,
    data: { values: cells },
    layer: [
      {
        mark: 'rect',
        encoding: {
          x: { field: 'a', type: 'nominal', ...axis },
          y: { field: 'b', type: 'nominal', ...axis },
          color: { field: 'kappa', type: 'quantitative', scale: { domain: [-0.2, 1], scheme: 'blues' }, title: 'κ' },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: { x: { field: 'a', type: 'nominal', ...axis }, y: { field: 'b', type: 'nominal', ...axis }, text: { field: 'label' } },
      },
    ],
  } as VegaLiteSpec;
}

function headline(r: ShareReport): SafeHtml | null {
  const last = [...r.groups].reverse().find((g) => g.headline);
  if (!last?.headline) return null;
  const h = last.headline;
  const what =
    r.groupBy === 'month'
      ? `of documents ${r.dateBasis === 'crawl' ? 'crawled' : 'published'} in ${last.key}`
      : `of documents in ${groupLabel(r)} ${last.key}`;
  return el(
    'p',
    [
      el('strong', [`${pct(h.share)} (${Math.round(r.level * 100)}% interval ${pct(h.lo)}–${pct(h.hi)})`]),
      ` ${what} were AI-written according to the ${h.method} estimate (n = ${h.n}). ${sentence(h.check.text)}${
        h.check.period
          ? ` On known-answer mixtures of this period's own topics it was off by ${ppValue(h.check.period.meanAbsError)} on average.`
          : ''
      }${h.note && !h.check.text.includes(h.note) ? ` ${sentence(h.note)}` : ''}`,
    ],
    'headline',
  );
}

/** Text as a sentence: capital first letter, full stop. */
const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;

/** One row per period with its headline (or why it has none). */
function headlineTable(r: ShareReport): SafeHtml {
  return table(
    [groupLabel(r), 'documents', 'share', `${Math.round(r.level * 100)}% interval`, 'method', 'known-answer check', 'note'],
    r.groups.map((g) => {
      const h = g.headline;
      if (!h) return [g.key, g.documents, '–', '', '', '', g.headlineNote ?? 'no estimate'];
      return [
        g.key,
        g.documents,
        pct(h.share),
        `[${pct(h.lo)}, ${pct(h.hi)}]`,
        h.method,
        h.check.period ? `mean error ${ppValue(h.check.period.meanAbsError)} on mixtures of this period's topics; ${h.check.text}` : h.check.text,
        [h.note, g.headlineNote].filter(Boolean).join('; '),
      ];
    }),
  );
}

function headlineRows(r: ShareReport): ShareRow[] {
  return r.groups.flatMap((g) =>
    g.headline
      ? [
          {
            date: periodDate(g.key) ?? undefined,
            group: g.key,
            method: `headline (${g.headline.method})`,
            share: g.headline.share,
            lo: g.headline.lo,
            hi: g.headline.hi,
          },
        ]
      : [],
  );
}

function estimatesTable(r: ShareReport): SafeHtml {
  const rows: Array<Array<string | number>> = [];
  for (const g of r.groups) {
    const failure = g.tooFew ? `too few documents (minimum ${r.minDocs})` : commonFailure(g.estimates, r.minDocs);
    if (failure) {
      rows.push([g.key, g.documents, failure, '', '', '', '', '', '']);
      continue;
    }
    g.estimates.forEach((e, i) => {
      rows.push([
        i === 0 ? g.key : '',
        i === 0 ? g.documents : '',
        e.method,
        calibrationLabel(e, 'long'),
        e.status === 'ok' ? pct(e.share) : '–',
        interval(e),
        e.status === 'ok' ? driftText(e) : '',
        e.n,
        e.status === 'ok' ? (e.note ?? '') : statusText(e, r.minDocs),
      ]);
    });
  }
  return table(
    [groupLabel(r), 'documents', 'method', 'calibration', 'share', `${Math.round(r.level * 100)}% interval`, 'drift band', 'n', 'note'],
    rows,
  );
}

const METHOD_NOTES: Array<[string, string]> = [
  ['naive:*', 'classify-and-count: share labelled AI at the calibrated threshold; biased by the detector’s errors (reference only).'],
  ['corrected:*', 'Rogan–Gladen: (observed − FPR)/(TPR − FPR), clipped to [0, 1]; bootstrap over documents and over the calibration counts.'],
  ['mixture', 'Liang et al. (2024) word-occurrence mixture MLE; bootstrap over documents.'],
  ['primarily-ai:segments', 'pages with more than half of their chunks judged AI (uncorrected, as published web studies report).'],
  ['ai-fraction-NN:segments', 'pages with at least NN% of their chunks judged AI (uncorrected).'],
  [
    'baseline-corrected:*',
    'Rogan–Gladen per stratum with the FPR measured on the corpus’s own pages from before the cutoff and the TPR on AI references (domain-matched calibration); Bayesian bootstrap over documents, baseline pages and references.',
  ],
  [
    'score-mixture:*',
    'per stratum, the month’s detector scores as a mixture of the baseline (human) and the AI references’ score distributions; maximum-likelihood AI share, bootstrap as above.',
  ],
  [
    'word-mixture:baseline',
    'Liang et al. word-occurrence mixture with the human word frequencies measured on the baseline pages of the same stratum and the AI ones on the AI references; bootstrap over the month’s documents, baseline pages and references.',
  ],
  [
    'excess-lower-bound',
    'Kobak et al. excess vocabulary: (p − q)/(1 − q), p = share of documents with a marker word, q = baseline share; a lower bound.',
  ],
];

export async function renderShareHtml(r: ShareReport, methods: MethodsShown = 'headline'): Promise<string> {
  const monthly = isMonthly(r);
  const body: SafeHtml[] = [];
  const head = headline(r);
  if (head) body.push(head);
  const all = methods === 'all';

  const isCorrected = (e: ShareEstimate) =>
    e.kind === 'corrected' || e.kind === 'mixture' || e.kind === 'score-mixture' || e.kind === 'excess-lower-bound';
  // Domain-matched series get their own chart (with drift bands) so neither chart runs out of colours.
  const corrected = shareRows(r, (e) => isCorrected(e) && !isDomainCalibrated(e));
  // With a recommended detector (best separation of baseline pages from AI references), the
  // domain chart shows its series and the word mixture only; the table lists every series.
  const best = r.domainCalibration?.recommended ?? null;
  const domain = shareRows(r, (e) => isCorrected(e) && isDomainCalibrated(e) && (best === null || e.detector === null || e.detector === best));
  const raw = shareRows(r, (e) => e.kind === 'naive' || e.kind === 'primarily-ai' || e.kind === 'ai-fraction');
  const charts: SafeHtml[] = [];
  const lead = headlineRows(r);
  // A time axis needs two months: a single month is drawn like a category (points with interval bars).
  const overTime = (rows: readonly ShareRow[]) => monthly && new Set(rows.map((x) => x.group)).size > 1;
  const howOf = (rows: readonly ShareRow[]) => (overTime(rows) ? 'Lines: point estimates; bands: intervals.' : 'Points: estimates; bars: intervals.');
  if (lead.length > 0) {
    charts.push(
      figure(
        await vegaLiteToSvg(shareChart('AI share: headline estimate', lead, overTime(lead))),
        `${howOf(lead)} The interval includes the generator-shift, drift and topic bands and the self-check's widening.`,
      ),
    );
  }
  if (all && corrected.length > 0) {
    const title = domain.length > 0 ? 'AI share: error-corrected estimates (development calibration)' : 'AI share: error-corrected estimates';
    charts.push(
      figure(
        await vegaLiteToSvg(shareChart(title, corrected, overTime(corrected))),
        `${howOf(corrected)} The excess-vocabulary series is a lower bound.`,
      ),
    );
  }
  if (all && domain.length > 0) {
    const band = overTime(domain) ? 'lighter bands' : 'thick pale bars';
    charts.push(
      figure(
        await vegaLiteToSvg(shareChart(`AI share: domain-matched calibration (baseline)${best ? ` — ${best}` : ''}`, domain, overTime(domain))),
        `${howOf(domain)} ${best ? `Series of ${best}, the detector that separates baseline pages from AI references best, and the word mixture; every series is in the table. ` : ''}${domain.some((d) => d.driftLo !== undefined) ? `The ${band} are ± the drift band: the systematic error the drift check measured on human pages of two baseline periods, shown next to the interval, not in it.` : 'No drift band (the drift check did not run).'}`,
      ),
    );
  }
  if (all && raw.length > 0) {
    charts.push(
      figure(
        await vegaLiteToSvg(shareChart('AI share: raw detector labels and page shares', raw, overTime(raw))),
        'Uncorrected shares, as detectors and published web studies report them.',
      ),
    );
  }
  if (r.groups.length > 0)
    charts.push(figure(await vegaLiteToSvg(documentsChart(r, monthly)), 'Documents per group, coloured by where their date came from.'));
  for (const spec of gptWordCharts(r, monthly)) charts.push(figure(await vegaLiteToSvg(spec)));
  const agree = all ? agreementChart(r) : null;
  if (agree) charts.push(figure(await vegaLiteToSvg(agree), 'Agreement of the detectors’ AI labels on documents both scored.'));
  body.push(el('h2', ['Charts']), charts.length > 0 ? el('div', charts, 'charts') : el('p', ['No documents to chart.']));

  body.push(el('h2', ['Headline']), headlineTable(r), ...headlineCheckLines(r).map((line) => el('p', [line.trim()], 'note')));
  if (all) body.push(el('h2', ['Methods']), estimatesTable(r));
  else body.push(el('p', ['Every method of every period: render with --methods all.'], 'note'));
  if (r.domainCalibration) body.push(...domainCalibrationSection(r.domainCalibration));
  const disagreements = r.groups.flatMap((g) => g.disagreements.map((d) => [g.key, d.message] as [string, string]));
  body.push(
    el('h2', ['Agreement between estimators']),
    disagreements.length > 0
      ? table([groupLabel(r), 'disagreement beyond the intervals'], disagreements)
      : el('p', ['The error-corrected estimators agree within their intervals in every group.']),
  );
  body.push(
    el('h2', ['Dates']),
    el(
      'p',
      [
        r.groupBy === 'month' && r.dateBasis === 'crawl'
          ? `${r.period ? 'Periods are made of' : 'Months are'} crawl months (WARC-Date).`
          : `${r.period ? 'Periods are made of months that' : 'Months'} come from the extracted publication date; the share of each date source is shown per group.`,
      ],
      'note',
    ),
    table(
      [groupLabel(r), 'documents', 'date sources'],
      r.groups.map((g) => [g.key, g.documents, dateSourceText(g.dateSources, g.documents)]),
    ),
  );

  if (r.gptWords && r.gptWords.periods.length > 0) {
    const gw = r.gptWords;
    body.push(
      el('h2', ['GPT-word counts']),
      el(
        'p',
        [
          `Lexicon ${gw.lexicon.name} (${gw.lexicon.entries} stemmed words): ${gw.lexicon.provenance}. Baseline: ${gw.baseline.mode} over ${gw.baseline.months.length} month(s) before ${gw.baseline.before} (${gw.baseline.docs} documents).`,
        ],
        'note',
      ),
      table(
        [
          groupLabel(r),
          'documents',
          'markers per 1M words',
          'documents with a marker',
          'expected from baseline',
          'excess ratio',
          'lower bound on AI share',
        ],
        gw.periods.map((p) => [
          p.period,
          p.docs,
          Math.round(p.opm),
          pct(p.anyShare),
          p.expectedAnyShare === null ? '–' : pct(p.expectedAnyShare),
          p.excessRatio === null ? '–' : p.excessRatio.toFixed(2),
          p.lowerBound.status === 'ok' ? `${pct(p.lowerBound.share)} ${interval(p.lowerBound)}` : statusText(p.lowerBound, r.minDocs),
        ]),
      ),
    );
  }

  body.push(
    el('h2', ['Detectors']),
    table(
      ['detector', 'version', 'threshold', 'TPR', 'FPR', 'calibration set', 'source'],
      r.detectors.map((d) => [
        d.name,
        d.version,
        d.threshold.toFixed(3),
        d.calibration ? d.calibration.tpr.toFixed(3) : '–',
        d.calibration ? d.calibration.fpr.toFixed(3) : '–',
        d.calibration ? `${d.calibration.nPos}+${d.calibration.nNeg}: ${d.calibration.dataset ?? ''}` : 'not calibrated',
        d.calibrationSource ?? '',
      ]),
    ),
  );
  if (r.agreement.length > 0) {
    body.push(
      table(
        ['detector A', 'detector B', 'documents', 'agreement', 'κ'],
        r.agreement.map((a) => [a.a, a.b, a.n, pct(a.agreement), a.kappa === null ? '–' : a.kappa.toFixed(2)]),
      ),
    );
  }
  if (r.examples.length > 0) {
    body.push(
      el('h2', ['Highest-scoring documents']),
      el('p', [`Top documents by ${r.examples[0].detector} score. Titles and URLs are shown as text exactly as found on the web.`], 'note'),
      table(
        ['score', 'month', 'title', 'URL'],
        r.examples.map((x) => [x.score.toFixed(3), x.month ?? '–', x.title ?? '(no title)', x.url ?? '']),
      ),
    );
  }
  body.push(
    el('h2', ['Methods']),
    table(
      ['method', 'what it measures'],
      METHOD_NOTES.map(([m, t]) => [m, t]),
    ),
  );
  if (r.mixture) {
    body.push(
      el(
        'p',
        [
          `Mixture reference: ${r.mixture.reference} (${r.mixture.vocabulary} words, unit ${r.mixture.unit}, languages ${r.mixture.languages.join(', ')}${r.mixture.calibrated ? ', log-likelihood ratios re-calibrated on the calib split' : ''}).`,
        ],
        'note',
      ),
    );
  }
  if (r.notes.length > 0)
    body.push(
      el('h2', ['Notes']),
      el(
        'ul',
        r.notes.map((n) => el('li', [n])),
      ),
    );
  body.push(
    el(
      'p',
      [
        `Generated ${r.generatedAt} from ${r.input.kind === 'db' ? 'store' : 'JSONL'} ${r.input.path}; ${r.replicates} bootstrap replicates, seed ${r.seed}, intervals at ${Math.round(r.level * 100)}%.`,
      ],
      'note',
    ),
    safe('<style>.headline{font-size:1.15rem;margin:1rem 0}</style>'),
  );
  return htmlPage({ title: `ccaudit — AI share by ${groupLabel(r)}`, subtitle: `${r.input.path}`, body });
}

/** The "Domain-matched calibration" section: references, threshold rule, strata per detector, drift check. */
function domainCalibrationSection(dc: DomainCalibrationInfo): SafeHtml[] {
  const out: SafeHtml[] = [
    el('h2', ['Domain-matched calibration']),
    el(
      'p',
      [
        `Estimates marked “${dc.kind}” measure the detectors’ error rates on this corpus itself instead of on labelled research corpora (“development”): ` +
          `the human reference is ${dc.kind === 'user-labeled' ? 'a corpus the user supplied' : `the pages ${dc.dateBasis === 'crawl' ? 'crawled' : 'published'} before ${dc.cutoff}`}, ` +
          'the AI reference is a set of AI-written texts imitating the domain, both per stratum.',
      ],
      'note',
    ),
    table(
      ['setting', 'value'],
      [
        ['calibration', dc.kind],
        ['cutoff', `${dc.cutoff} (${dc.dateBasis} date)`],
        ['human reference', `${dc.humanSource} (baseline pages ${dc.nBaseline}, control texts ${dc.nControl})`],
        ['AI references', `${dc.nAi}${dc.aiSets && dc.aiSets.length > 0 ? ` from ${dc.aiSets.join(', ')}` : ' (all stored sets)'}`],
        ['threshold rule', dc.thresholdRule],
        ['strata', strataSpecText(dc.strata)],
        ['series to read first', recommendationText(dc)],
      ],
    ),
  ];
  for (const d of dc.detectors) {
    const views = strataViews(d.strata, dc.strata.minAi);
    out.push(
      el('h3', [
        `${d.detector}: operating threshold ${d.threshold.toFixed(3)}, ${d.nBaseline} baseline pages, ${d.nAi} AI references, ${aurocText(d.auroc)}`,
      ]),
      table(
        ['stratum', 'level', 'baseline n', 'fallback n', 'FPR', 'TPR', 'AI n', 'AI stratum'],
        views.map((v) => [
          v.stratum.key,
          stratumLevelText(v),
          v.stratum.baselineN,
          v.role === 'own' ? '' : v.fallbackPages,
          pct(v.stratum.fpr),
          pct(v.stratum.tpr),
          v.stratum.aiN,
          v.aiStratum === v.stratum.key ? 'own' : v.aiStratum,
        ]),
      ),
      el(
        'ul',
        strataFallbackLines(views, dc.strata.minBaseline, dc.strata.minAi, d.nBaseline).map((line) => el('li', [line])),
        'note',
      ),
    );
  }
  out.push(el('h3', ['Drift check']));
  if (dc.drift.length === 0) {
    out.push(el('p', ['Not run: the baseline needs dated pages in at least two months.'], 'note'));
  } else {
    out.push(
      el(
        'p',
        [
          'Human pages of one baseline period estimated with the other period as baseline, both ways. The band half-width is the larger move away from 0; it is shown next to each baseline-calibrated estimate and drawn as the lighter band in the chart.',
        ],
        'note',
      ),
      table(
        ['method', 'periods', 'forward', 'backward', 'band half-width', 'pages A + B'],
        dc.drift.map((x) => [x.method, x.periods, signedPct(x.forward), signedPct(x.backward), ppText(x.halfWidth), `${x.nA} + ${x.nB}`]),
      ),
    );
  }
  return out;
}
