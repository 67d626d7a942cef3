/**
 * Export speed and memory: Roster's CSV export against its lower bound and
 * the vendor SDK's own sequential loop, with the server's RSS growth. Runs
 * first, while the server has only been warmed up, so that its idle RSS is
 * not what earlier load left behind.
 */
import type { BenchContext, FigureModule, FigureResult } from "../context";
import { lowerBound, runExports, warmUp, type ExportResults } from "../export";
import { TARGETS, type Mode } from "../modes";
import { figure, type Figure } from "../report";
import { pairedRatios } from "../stats";
import type { ProviderId } from "../../lib/users/schema";

const MiB = 1024 * 1024;

function exportFigures(
  results: ExportResults,
  mode: Mode,
  concurrency: number,
  users: Record<ProviderId, number>,
): Figure[] {
  const section = `Export: ${users.telnyx.toLocaleString("en-US")} Telnyx / ${users.openai.toLocaleString("en-US")} OpenAI users, sandbox ${mode.latencyMs} ms per request (jitter 0), EXPORT_CONCURRENCY ${concurrency}`;
  const out: Figure[] = [];
  const toBoundTarget: Record<ProviderId, number> = {
    telnyx: TARGETS.telnyxExportToBound,
    openai: TARGETS.openaiExportToBound,
  };
  for (const provider of ["telnyx", "openai"] as const) {
    const r = results.providers[provider];
    const bound = lowerBound(provider, users[provider], mode.latencyMs, concurrency);
    const seconds = (ms: number[]) => ms.map((v) => v / 1000);
    const boundText =
      provider === "telnyx"
        ? `ceil(${bound.pages}/${bound.concurrency}) × ${mode.latencyMs} ms`
        : `${bound.pages} × ${mode.latencyMs} ms`;
    out.push(
      figure(
        `export.${provider}.roster_s`,
        section,
        `${provider} export wall time`,
        "s",
        seconds(r.rosterMs),
      ),
      figure(
        `export.${provider}.first_byte_s`,
        section,
        `${provider} export first byte`,
        "s",
        seconds(r.firstByteMs),
      ),
      figure(`export.${provider}.bound_s`, section, `${provider} lower bound, ${boundText}`, "s", [
        bound.ms / 1000,
      ]),
      figure(
        `export.${provider}.to_bound`,
        section,
        `${provider} export / lower bound`,
        "×",
        r.rosterMs.map((ms) => ms / bound.ms),
        { target: { op: "<=", value: toBoundTarget[provider], by: "median" } },
      ),
      figure(
        `export.${provider}.sdk_s`,
        section,
        `${provider} SDK sequential for-await loop`,
        "s",
        seconds(r.sdkMs),
      ),
      figure(
        `export.${provider}.speedup_vs_sdk`,
        section,
        `${provider} SDK loop / export (speed-up)`,
        "×",
        pairedRatios(r.sdkMs, r.rosterMs),
        provider === "telnyx"
          ? { target: { op: ">=", value: TARGETS.telnyxSpeedupVsSdk, by: "median" } }
          : {},
      ),
      figure(
        `export.${provider}.rows`,
        section,
        `${provider} rows exported (checked against the sandbox)`,
        "",
        r.rosterMs.map(() => r.rows),
        { decimals: 0 },
      ),
    );
  }
  const memorySection =
    "Export memory: Roster server process during the Telnyx export (VmRSS every 50 ms, and VmHWM)";
  const mib = (values: number[]) => values.map((v) => v / MiB);
  out.push(
    figure(
      "export.memory.idle_mib",
      memorySection,
      "idle RSS before the export",
      "MiB",
      mib(results.memory.idle),
      { decimals: 1 },
    ),
    figure(
      "export.memory.peak_mib",
      memorySection,
      "peak RSS during the export",
      "MiB",
      mib(results.memory.peak),
      { decimals: 1 },
    ),
    figure(
      "export.memory.growth_mib",
      memorySection,
      "peak − idle",
      "MiB",
      mib(results.memory.growth),
      {
        decimals: 1,
        // A ceiling: the worst run counts.
        target: { op: "<=", value: TARGETS.exportMemoryGrowthMiB, by: "max" },
      },
    ),
  );
  return out;
}

export const exportFigure: FigureModule = {
  id: "export",
  section: "Export",
  async run(ctx: BenchContext): Promise<FigureResult> {
    // The warm-up (at 0 ms) loads the routes and both vendor clients without reading many users:
    // a Telnyx export the vendor filters down to nothing, and one OpenAI page.
    await warmUp({
      appUrl: ctx.app.url,
      cookie: ctx.cookie,
      paths: [
        "/api/telnyx/users/export?email=no-such-user.bench",
        "/api/openai/users?limit=1",
        "/api/telnyx/users?limit=1",
      ],
    });
    const results = await ctx.atVendorLatency(() =>
      runExports({
        appUrl: ctx.app.url,
        sandboxUrl: ctx.sandbox.url,
        cookie: ctx.cookie,
        serverPid: ctx.app.serverPid,
        users: ctx.sandbox.users,
        runs: ctx.mode.exportRuns,
        timeoutMs: 180_000,
        log: ctx.log,
      }),
    );
    for (const provider of ["telnyx", "openai"] as const) {
      const diff = results.providers[provider].difference;
      if (diff)
        ctx.warn(`${provider}: the export's CSV differs from the SDK loop's (same ids): ${diff}`);
    }
    if (!results.memory.usedHwm.some(Boolean) && results.memory.samples.every((n) => n < 20)) {
      ctx.warn("export memory: fewer than 20 RSS samples per export; the peak may be missed");
    }
    return {
      figures: exportFigures(results, ctx.mode, ctx.concurrency, ctx.sandbox.users),
      details: {
        telnyxRows: results.providers.telnyx.rows,
        openaiRows: results.providers.openai.rows,
        telnyxXTotalCount: results.providers.telnyx.totalHeader,
        exportCsvIdenticalToSdkLoop: {
          telnyx: results.providers.telnyx.identicalToSdk,
          openai: results.providers.openai.identicalToSdk,
        },
        memoryPeakFromVmHWM: results.memory.usedHwm,
        memorySamplesPerExport: results.memory.samples,
      },
    };
  },
};
