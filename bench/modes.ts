/** The benchmark's two sizes: a full run (≤ 10 min on 2 cores) and `--quick` for CI (≤ 2 min). */

export interface Mode {
  name: "full" | "quick";
  telnyxUsers: number;
  openaiUsers: number;
  /** Vendor latency for the figures measured "at 50 ms per vendor call". */
  latencyMs: number;
  connections: number[];
  apiRounds: number;
  apiSeconds: number;
  apiWarmupSeconds: number;
  /** Seconds of load on a profiled Roster when it misses the framework floor. */
  profileSeconds: number;
  exportRuns: number;
  dashboardRuns: number;
  dashboardRows: number;
  firstRowRuns: number;
  peopleRuns: number;
  offboardingAddresses: number;
  /** Everything but the builds must be done by then. */
  watchdogMs: number;
}

export const FULL: Mode = {
  name: "full",
  telnyxUsers: 100_000,
  openaiUsers: 20_000,
  latencyMs: 50,
  connections: [10, 50],
  apiRounds: 3,
  apiSeconds: 3,
  apiWarmupSeconds: 2,
  profileSeconds: 5,
  exportRuns: 3,
  dashboardRuns: 3,
  dashboardRows: 5_000,
  firstRowRuns: 3,
  peopleRuns: 5,
  offboardingAddresses: 1_000,
  watchdogMs: 12 * 60_000,
};

export const QUICK: Mode = {
  name: "quick",
  telnyxUsers: 5_000,
  openaiUsers: 2_000,
  latencyMs: 50,
  connections: [10, 50],
  apiRounds: 1,
  apiSeconds: 1,
  apiWarmupSeconds: 1,
  profileSeconds: 2,
  exportRuns: 1,
  dashboardRuns: 1,
  dashboardRows: 500,
  firstRowRuns: 1,
  peopleRuns: 2,
  offboardingAddresses: 200,
  watchdogMs: 3 * 60_000,
};

/**
 * Share of a vendor's users removed, and as many added, before a re-sync: a
 * scheduled sync's usual work, a few leavers and joiners since the last one.
 */
export const RESYNC_CHANGED_SHARE = 0.01;

/** Every target in one place, so that a change of goal is one line. */
export const TARGETS = {
  /** Roster's list route against the bare Next.js route handler (the framework floor). */
  apiLatencyToFloor: 1.15,
  apiRpsToFloor: 0.9,
  telnyxExportToBound: 1.2,
  telnyxSpeedupVsSdk: 3,
  openaiExportToBound: 1.1,
  exportMemoryGrowthMiB: 64,
  dashboardFirstLoadJsGzipKb: 160,
  pageFirstLoadJsGzipKb: 170,
  syncToBound: 1.2,
  syncRssGrowthMiB: 128,
  directoryListMs: 300,
  peopleMs: 300,
  peopleExportMemoryGrowthMiB: 64,
  offboardingToBound: 1.3,
} as const;
