/** Resident memory of a process from /proc/<pid>/status (Linux). */
import { readFileSync, writeFileSync } from "node:fs";

import { delay } from "./processes";
import { percentile } from "./stats";

export interface RssReading {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size since start (or since resetPeak), bytes. */
  hwm: number;
}

export function readRss(pid: number): RssReading {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Resets VmHWM to the current RSS (`echo 5 > clear_refs`); false where the kernel refuses. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    const { rss, hwm } = readRss(pid);
    // The reset sets the peak to the current RSS; a peak far above it means it did not take.
    return hwm <= rss * 1.05;
  } catch {
    return false;
  }
}

/** The median of a few readings a little apart: RSS at rest. */
export async function idleRss(pid: number, readings = 5, gapMs = 100): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < readings; i++) {
    values.push(readRss(pid).rss);
    if (i < readings - 1) await delay(gapMs);
  }
  return percentile(
    values.sort((a, b) => a - b),
    50,
  );
}

/** Samples VmRSS every `intervalMs` until stopped; the peak is the larger of the samples and VmHWM. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private maxSampled = 0;
  private samples = 0;
  private peakReset = false;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    this.peakReset = resetPeak(this.pid);
    const sample = () => {
      try {
        this.maxSampled = Math.max(this.maxSampled, readRss(this.pid).rss);
        this.samples++;
      } catch {
        // The process is gone; the caller finds out from its request.
      }
    };
    sample();
    this.timer = setInterval(sample, this.intervalMs);
  }

  stop(): { peak: number; samples: number; usedHwm: boolean } {
    clearInterval(this.timer);
    let hwm = 0;
    try {
      hwm = readRss(this.pid).hwm;
    } catch {
      // gone
    }
    // VmHWM catches a peak between samples, but only counts if it was reset before the export.
    const usedHwm = this.peakReset && hwm > this.maxSampled;
    return {
      peak: usedHwm ? hwm : this.maxSampled,
      samples: this.samples,
      usedHwm,
    };
  }
}
