/**
 * The per-document rows an export writes: each document's own id (the input's id for dataset
 * rows, the WARC-Record-ID for WARC/WET records, else `<source>#<offset>`), URL, period,
 * language, words, length and one score per exported detector version. Read in (source,
 * offset) order, so each input shard's documents come together and in input order.
 */
import type { Store } from '../store/index.js';

export interface DetectorColumn {
  detector: string;
  detectorVersion: string;
}

export interface ExportDocument {
  id: string;
  source: string;
  url: string | null;
  /** "YYYY-MM": publication month, else crawl month; null when neither is known. */
  period: string | null;
  lang: string;
  words: number;
  /** Length of the text in Unicode code points (the end of a whole-document span). */
  chars: number;
  /** One per detector column, in order; null = not scored or unsupported. */
  scores: Array<number | null>;
}

/**
 * Per detector, the version with the most scores (the latest on a tie): a store re-scored
 * with a newer model exports the scores most documents have.
 */
export function exportedDetectors(store: Store, only: readonly string[] = []): DetectorColumn[] {
  const rows = store.db
    .prepare(
      `SELECT detector, detector_version AS detectorVersion, count(*) AS n, max(created_at) AS latest
         FROM scores GROUP BY detector, detector_version ORDER BY detector, n DESC, latest DESC`,
    )
    .all() as Array<DetectorColumn & { n: number }>;
  const out: DetectorColumn[] = [];
  for (const r of rows) {
    if (out.some((c) => c.detector === r.detector)) continue;
    if (only.length > 0 && !only.includes(r.detector)) continue;
    out.push({ detector: r.detector, detectorVersion: r.detectorVersion });
  }
  return out;
}

type Row = { id: string; source: string; url: string | null; period: string | null; lang: string; words: number; chars: number } & Record<
  string,
  number | null
>;

export function* exportDocuments(store: Store, detectors: readonly DetectorColumn[]): Generator<ExportDocument> {
  const cols = detectors
    .map(
      (_, i) => `(SELECT sc.score FROM scores sc WHERE sc.document_id = d.id AND sc.detector = @det${i} AND sc.detector_version = @ver${i}) AS s${i}`,
    )
    .join(',\n       ');
  const sql = `SELECT coalesce(d.input_id, r.record_id, src.path || '#' || r.offset) AS id, src.path AS source, d.url,
       coalesce(d.pub_month, d.crawl_month) AS period, d.lang, d.words, length(d.text) AS chars${cols ? `,\n       ${cols}` : ''}
     FROM documents d JOIN records r ON r.id = d.record_pk JOIN sources src ON src.id = r.source_id
     ORDER BY src.path, r.offset`;
  const params: Record<string, unknown> = {};
  detectors.forEach((d, i) => {
    params[`det${i}`] = d.detector;
    params[`ver${i}`] = d.detectorVersion;
  });
  for (const r of store.db.prepare(sql).iterate(params) as Iterable<Row>) {
    yield {
      id: r.id,
      source: r.source,
      url: r.url,
      period: r.period,
      lang: r.lang,
      words: r.words,
      chars: r.chars,
      scores: detectors.map((_, i) => r[`s${i}`] ?? null),
    };
  }
}
