/**
 * Time to first row of each vendor tab with the sandbox at the vendor
 * latency (50 ms), against one vendor call at that latency: the floor for a
 * live view, which needs at least one.
 */
import { PROVIDER_IDS } from "../../lib/users/contract";
import { apiTargets } from "../api";
import type { BenchContext, FigureModule, FigureResult } from "../context";
import { firstRowRun, withBrowser } from "../dashboard";
import { figure, type Figure } from "../report";
import { pairedRatios } from "../stats";

/** One vendor page of 100 users fetched straight from the sandbox, ms. */
async function vendorCallMs(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

export const firstRowFigure: FigureModule = {
  id: "firstRow",
  section: "Time to first row",
  async run(ctx: BenchContext): Promise<FigureResult> {
    const targets = apiTargets({
      appUrl: ctx.app.url,
      appPid: ctx.app.serverPid,
      floorUrl: ctx.floor.url,
      floorPid: ctx.floor.serverPid,
      sandboxUrl: ctx.sandbox.url,
      sandboxPid: ctx.sandbox.proc.pid,
      cookie: ctx.cookie,
    });
    const section = `Time to first row: each vendor tab in Chromium, sandbox ${ctx.mode.latencyMs} ms per call, against one vendor call (the floor of a live view)`;
    const figures: Figure[] = [];
    await ctx.atVendorLatency(() =>
      withBrowser(async (browser) => {
        for (const provider of PROVIDER_IDS) {
          const tab: number[] = [];
          const call: number[] = [];
          for (let i = 0; i < ctx.mode.firstRowRuns; i++) {
            // Paired: the vendor call right after each navigation, so both see the same load.
            tab.push(await firstRowRun(browser, ctx.app.url, ctx.token, provider));
            const direct = targets[provider].direct;
            call.push(await vendorCallMs(direct.url, direct.headers));
          }
          ctx.log(
            `  ${provider} tab: first row ${tab.map((ms) => ms.toFixed(0)).join(", ")} ms; one vendor call ${call.map((ms) => ms.toFixed(0)).join(", ")} ms`,
          );
          figures.push(
            figure(
              `first_row.${provider}.tab_ms`,
              section,
              `${provider} tab: navigation → first row visible`,
              "ms",
              tab,
              { decimals: 0 },
            ),
            figure(
              `first_row.${provider}.vendor_call_ms`,
              section,
              `${provider}: one vendor call (100 users, from the bench)`,
              "ms",
              call,
              { decimals: 0 },
            ),
            figure(
              `first_row.${provider}.to_vendor_call`,
              section,
              `${provider}: first row / one vendor call`,
              "×",
              pairedRatios(tab, call),
              { decimals: 1 },
            ),
          );
        }
      }),
    );
    return { figures };
  },
};
