/**
 * The HTML report in a real headless browser (Debian's chromium, installed by
 * scripts/install-chromium.sh): charts render with no console errors, nothing is fetched
 * from the network, and a page whose title holds <script> stays inert. The store has two
 * months crawled before the cutoff and imported AI references, so the report also has
 * domain-matched calibration: its chart with drift bands and its strata and drift tables. A
 * full-page screenshot is kept as tests/artifacts/report.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildScoredStore, HOSTILE_TITLE, importAiReferences, makeTempDir, runCli } from './helpers.js';
import { DRIFT_LAYER } from '../../src/report/share-html.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve('tests/artifacts');

describe('HTML report in headless chromium', () => {
  const tmp = makeTempDir();
  const profile = mkdtempSync(join(tmpdir(), 'ccaudit-chromium-'));
  let context: BrowserContext | null = null;
  let reportPath = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Debian chromium not found at ${CHROMIUM}: run scripts/install-chromium.sh (the browser test must not be skipped)`);
    }
    const { db, months } = await buildScoredStore(
      tmp.dir,
      [
        { period: '2022-06', fraction: 0, n: 40 },
        { period: '2022-10', fraction: 0, n: 40 },
        { period: '2022-12', fraction: 0.05, n: 40 },
        { period: '2024-02', fraction: 0.2, n: 40 },
        { period: '2025-03', fraction: 0.5, n: 40 },
      ],
      424242,
      { hostile: true },
    );
    await importAiReferences(db, tmp.dir, months, 60, 4242);
    reportPath = join(tmp.dir, 'report.html');
    const r = await runCli([
      'report',
      '--db',
      db,
      '--methods',
      'all',
      '--format',
      'html',
      '--out',
      reportPath,
      '--replicates',
      '200',
      '--examples',
      '500',
    ]);
    if (r.code !== 0) throw new Error(`report failed (${r.code}): ${r.stderr}`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    tmp.cleanup();
  });

  it('renders every chart with no console errors, no network and an inert <script> title', async () => {
    const page = await context!.newPage();
    const consoleErrors: string[] = [];
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) requests.push(req.url());
    });
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });

    const charts = await page.$$eval('figure svg', (svgs) =>
      svgs.map((s) => ({
        w: s.getBoundingClientRect().width,
        h: s.getBoundingClientRect().height,
        marks: s.querySelectorAll('path, rect, line, circle, text').length,
      })),
    );
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(100);
      expect(c.marks).toBeGreaterThan(10);
    }
    expect(await page.title()).toContain('AI share by publication month');

    // Domain-matched calibration: the drift band is drawn (an area with real extent) in its chart.
    const bands = await page.$$eval(`figure svg g.${DRIFT_LAYER}_marks path`, (paths) => paths.map((p) => p.getBoundingClientRect().height));
    expect(bands.length).toBeGreaterThan(0);
    expect(Math.max(...bands)).toBeGreaterThan(1);
    await expect(page.getByRole('heading', { name: 'Domain-matched calibration' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('h2:has-text("Domain-matched calibration") ~ table').count()).toBeGreaterThanOrEqual(3);

    // The hostile title is shown as text, ran nothing, and added no elements.
    expect(await page.evaluate(() => (window as unknown as { __ccauditInjected?: number }).__ccauditInjected)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText is the rendered text, which is what is checked
    const bodyText = await page.locator('body').innerText();
    expect(bodyText).toContain(HOSTILE_TITLE);

    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
    await page.close();
  });
});
