/** Summaries of repeated measurements. */

export interface Summary {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** Every run's value, in the order measured. */
  values: number[];
}

/** Linear-interpolated percentile (p in 0..100) of ascending `sorted` values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error("no measurements to summarize");
  const sorted = [...values].sort((a, b) => a - b);
  return {
    runs: values.length,
    median: percentile(sorted, 50),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    values: [...values],
  };
}

/** Ratios of paired runs (a[i] / b[i]). */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`unpaired runs: ${a.length} vs ${b.length}`);
  return a.map((value, i) => value / (b[i] ?? Number.NaN));
}

/** A growable list of samples, sorted once for percentiles. */
export class Samples {
  private data = new Float64Array(4096);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  get count(): number {
    return this.size;
  }

  sorted(): Float64Array {
    return this.data.slice(0, this.size).sort();
  }
}
