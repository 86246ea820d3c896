/** Per-group counts of documents each detector scored and labelled AI (shared by naive and corrected). */
import type { DetectorSpec, EstimatorDocument } from '../estimator.js';

export class DetectorCounts {
  readonly positives: number[];
  readonly scored: number[];

  constructor(private readonly detectors: readonly DetectorSpec[]) {
    this.positives = new Array(detectors.length).fill(0);
    this.scored = new Array(detectors.length).fill(0);
  }

  add(doc: EstimatorDocument): void {
    this.detectors.forEach((d, i) => {
      const s = doc.scores[i];
      if (s === null || s === undefined || !Number.isFinite(s)) return;
      this.scored[i]++;
      if (s >= d.threshold) this.positives[i]++;
    });
  }
}
