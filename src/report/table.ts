/** The aligned plain-text report `ccaudit report` prints by default. */
import type { ShareReport } from '../estimate/model.js';
import {
  alignTable,
  calibrationLabel,
  commonFailure,
  dateSourceText,
  driftText,
  groupLabel,
  interval,
  pct,
  ppText,
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

function okNote(e: ShareEstimate): string {
  if (e.kind === 'excess-lower-bound') return 'lower bound';
  return e.kind === 'naive' || e.kind === 'primarily-ai' || e.kind === 'ai-fraction' ? 'uncorrected' : '';
}

/** Which estimates the table and the HTML page show: the headline only, or every method as well. */
export type MethodsShown = 'headline' | 'all';

/** Whether any period's headline carries the self-check redone on its own topic mix. */
const hasPeriodChecks = (r: ShareReport): boolean => r.groups.some((g) => g.headline?.check.period);

/**
 * The headline table: one row per period (share, interval, method, the self-check on the
 * period's own topic mix when there is one, note).
 */
function headlineTable(r: ShareReport): string {
  const checks = hasPeriodChecks(r);
  const check = (period: { meanAbsError: number } | null | undefined): string[] => (checks ? [period ? ppText(period.meanAbsError) : ''] : []);
  const rows = r.groups.map((g) => {
    const h = g.headline;
    return h
      ? [g.key, String(g.documents), pct(h.share), `[${pct(h.lo)}, ${pct(h.hi)}]`, h.method, ...check(h.check.period), h.note ?? '']
      : [g.key, String(g.documents), '–', '', '', ...check(null), g.headlineNote ?? 'no estimate'];
  });
  return alignTable([groupLabel(r), 'docs', 'share', `${Math.round(r.level * 100)}% interval`, 'method', ...(checks ? ['check'] : []), 'note'], rows);
}

/** The self-check line(s) printed beside the headline. */
export function headlineCheckLines(r: ShareReport): string[] {
  const checks = [...new Set(r.groups.flatMap((g) => (g.headline ? [g.headline.check.text] : [])))];
  const out = checks.map((c) => `  ${c}`);
  if (hasPeriodChecks(r)) out.push("  check: the self-check's mean error on known-answer mixtures with each period's own topic mix");
  const m = r.inDomain;
  if (m) {
    const designs = Object.entries(m.selfCheck.byDesign)
      .map(
        ([d, x]) =>
          `${d === 'mixed' ? 'baseline topic mix' : 'one topic at a time'}: mean error ${pct(x.meanAbsError)}, coverage ${Math.round(x.coverage * 100)} % of ${x.n}`,
      )
      .join('; ');
    if (designs) out.push(`  known-answer mixtures (0–60 % AI) of held-out baseline pages and references: ${designs}`);
    out.push(
      `  in-domain model: ${m.nHuman} baseline pages vs ${m.nAi} AI references from ${m.generators.length} generator${m.generators.length === 1 ? '' : 's'} (${m.generators.join(', ')}), held-out AUROC ${m.auroc.toFixed(2)}, ${m.clusters} strata${m.languages.length > 1 ? ` (topic clusters within ${m.languages.join(', ')})` : ''}`,
    );
    if (m.drift) out.push(`  drift check: ${m.drift.periods}, estimate on later human pages ${pct(m.drift.estimate)}, band ±${pct(m.drift.band)}`);
  }
  return out;
}

export function renderTable(r: ShareReport, methods: MethodsShown = 'headline'): string {
  const out: string[] = [];
  const label = groupLabel(r);
  out.push(`AI share by ${label} — ${Math.round(r.level * 100)}% intervals, groups need ≥ ${r.minDocs} documents`);
  out.push(`input: ${r.input.kind === 'db' ? 'store' : 'JSONL'} ${r.input.path}${r.lang ? `, language ${r.lang}` : ''}`);
  for (const d of r.detectors) {
    const c = d.calibration;
    out.push(
      `detector ${d.name}@${d.version}: ${c ? `threshold ${c.threshold.toFixed(3)}, TPR ${c.tpr.toFixed(3)}, FPR ${c.fpr.toFixed(3)} (n=${c.nPos}+${c.nNeg}, ${d.calibrationSource})` : 'not calibrated (threshold 0.5)'}`,
    );
  }
  if (r.mixture)
    out.push(
      `mixture: ${r.mixture.vocabulary}-word reference, unit ${r.mixture.unit}, languages ${r.mixture.languages.join(',')}${r.mixture.calibrated ? ', ratios re-calibrated' : ''}`,
    );
  out.push('');

  out.push('headline:');
  out.push(r.groups.length > 0 ? headlineTable(r) : '(no documents)');
  out.push(...headlineCheckLines(r));
  out.push('');

  const rows: string[][] = [];
  for (const g of methods === 'all' ? r.groups : []) {
    const failure = g.tooFew ? `too few documents (minimum ${r.minDocs})` : commonFailure(g.estimates, r.minDocs);
    if (failure) {
      rows.push([g.key, String(g.documents), failure]);
      continue;
    }
    g.estimates.forEach((e, i) => {
      rows.push([
        i === 0 ? g.key : '',
        i === 0 ? String(g.documents) : '',
        e.method,
        calibrationLabel(e),
        e.status === 'ok' ? pct(e.share) : '–',
        // The drift band sits next to the statistical interval, not inside it.
        [interval(e), e.status === 'ok' ? driftText(e) : ''].filter(Boolean).join(' '),
        String(e.n),
        e.status === 'ok' ? okNote(e) : statusText(e, r.minDocs),
      ]);
    });
  }
  if (methods === 'all') {
    out.push('methods:');
    out.push(
      rows.length > 0
        ? alignTable([label, 'docs', 'method', 'calib', 'share', `${Math.round(r.level * 100)}% interval`, 'n', 'note'], rows)
        : '(no documents)',
    );
  } else out.push('every method of every period: --methods all');

  if (r.groupBy === 'month' || r.groups.some((g) => Object.keys(g.dateSources).length > 1)) {
    out.push('', `dates from (${r.dateBasis === 'crawl' ? 'WARC-Date' : 'extracted publication date'}):`);
    out.push(
      alignTable(
        [label, 'docs', 'date sources'],
        r.groups.map((g) => [g.key, String(g.documents), dateSourceText(g.dateSources, g.documents)]),
      ),
    );
  }

  const disagreements = r.groups.flatMap((g) => g.disagreements.map((d) => `${g.key}: ${d.message}`));
  out.push('', disagreements.length > 0 ? 'estimators disagree beyond their intervals:' : 'estimators agree within their intervals in every group.');
  for (const d of disagreements) out.push(`  ${d}`);

  if (r.domainCalibration) out.push('', ...domainCalibrationText(r.domainCalibration));

  if (r.gptWords && r.gptWords.periods.length > 0) {
    const gw = r.gptWords;
    out.push(
      '',
      `GPT-word counts (${gw.lexicon.name}, ${gw.lexicon.entries} words); baseline ${gw.baseline.mode} of ${gw.baseline.months.length} month(s) before ${gw.baseline.before}:`,
    );
    out.push(
      alignTable(
        [label, 'docs', 'marker/1M words', 'docs with marker', 'expected', 'excess ratio'],
        gw.periods.map((p) => [
          p.period,
          String(p.docs),
          p.opm.toFixed(0),
          pct(p.anyShare),
          p.expectedAnyShare === null ? '–' : pct(p.expectedAnyShare),
          p.excessRatio === null ? '–' : p.excessRatio.toFixed(2),
        ]),
      ),
    );
    if (gw.words.length > 0) {
      const top = gw.words.slice(0, 10);
      out.push('', 'most frequent marker words (occurrences per million words):');
      out.push(
        alignTable(
          [label, ...top.map((w) => w.forms[0] ?? w.key)],
          gw.periods.map((p, i) => [p.period, ...top.map((w) => w.periods[i].opm.toFixed(0))]),
        ),
      );
    }
  }

  if (r.agreement.length > 0) {
    out.push('', 'detector agreement (labels at calibrated thresholds):');
    out.push(
      alignTable(
        ['detector A', 'detector B', 'docs', 'agreement', 'kappa'],
        r.agreement.map((a) => [a.a, a.b, String(a.n), pct(a.agreement), a.kappa === null ? '–' : a.kappa.toFixed(2)]),
      ),
    );
  }
  if (r.notes.length > 0) {
    out.push('', 'notes:');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

/** The "domain-matched calibration" section: references, threshold rule, strata per detector, drift check. */
function domainCalibrationText(dc: DomainCalibrationInfo): string[] {
  const out: string[] = [];
  out.push(
    dc.kind === 'user-labeled'
      ? 'domain-matched calibration (calib "user"): the human reference is a corpus the user supplied'
      : `domain-matched calibration (calib "baseline"): pages ${dc.dateBasis === 'crawl' ? 'crawled' : 'published'} before ${dc.cutoff} are the human baseline`,
  );
  out.push(`  human reference: ${dc.humanSource} (baseline pages ${dc.nBaseline}, control texts ${dc.nControl})`);
  out.push(`  AI references: ${dc.nAi}${dc.aiSets && dc.aiSets.length > 0 ? ` from ${dc.aiSets.join(', ')}` : ' (all stored sets)'}`);
  out.push(`  threshold rule: ${dc.thresholdRule}`);
  out.push(`  strata: ${strataSpecText(dc.strata)}`);
  out.push(`  ${recommendationText(dc)}`);
  for (const d of dc.detectors) {
    out.push(
      '',
      `detector ${d.detector}: operating threshold ${d.threshold.toFixed(3)}, ${d.nBaseline} baseline pages, ${d.nAi} AI references, ${aurocText(d.auroc)}`,
    );
    const views = strataViews(d.strata, dc.strata.minAi);
    out.push(
      alignTable(
        ['stratum', 'level', 'baseline n', 'fallback n', 'FPR', 'TPR', 'AI n', 'AI stratum'],
        views.map((v) => [
          v.stratum.key,
          stratumLevelText(v),
          String(v.stratum.baselineN),
          v.role === 'own' ? '' : String(v.fallbackPages),
          pct(v.stratum.fpr),
          pct(v.stratum.tpr),
          String(v.stratum.aiN),
          v.aiStratum === v.stratum.key ? 'own' : v.aiStratum,
        ]),
      ),
    );
    for (const line of strataFallbackLines(views, dc.strata.minBaseline, dc.strata.minAi, d.nBaseline)) out.push(`  ${line}`);
  }
  out.push('');
  if (dc.drift.length === 0) {
    out.push('drift check: not run (needs baseline pages in at least two months).');
  } else {
    out.push('drift check (human pages of one baseline period estimated against the other; the band half-width is the larger move):');
    out.push(
      alignTable(
        ['method', 'periods', 'forward', 'backward', 'band', 'pages A+B'],
        dc.drift.map((d) => [d.method, d.periods, signedPct(d.forward), signedPct(d.backward), ppText(d.halfWidth), `${d.nA}+${d.nB}`]),
      ),
    );
  }
  return out;
}
