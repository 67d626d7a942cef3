/**
 * The dashboard in Chromium at 0 ms vendor latency: navigation → first row on
 * the Telnyx tab, → N rows loaded by scrolling, and the row elements in the
 * DOM then (virtualization).
 */
import type { BenchContext, FigureModule, FigureResult } from "../context";
import { runDashboard, withBrowser } from "../dashboard";
import { figure } from "../report";

export const dashboardFigure: FigureModule = {
  id: "dashboard",
  section: "Dashboard",
  async run(ctx: BenchContext): Promise<FigureResult> {
    const targetRows = Math.min(ctx.mode.dashboardRows, ctx.sandbox.users.telnyx);
    const runs = await withBrowser((browser) =>
      runDashboard({
        browser,
        appUrl: ctx.app.url,
        token: ctx.token,
        runs: ctx.mode.dashboardRuns,
        targetRows,
        rowsTimeoutMs: 120_000,
        log: ctx.log,
      }),
    );
    const section = "Dashboard: production build in headless Chromium, Telnyx tab, sandbox 0 ms";
    const rows = targetRows.toLocaleString("en-US");
    return {
      figures: [
        figure(
          "dashboard.first_row_ms",
          section,
          "navigation → first row visible",
          "ms",
          runs.map((r) => r.firstRowMs),
          { decimals: 0 },
        ),
        figure(
          "dashboard.rows_loaded_ms",
          section,
          `navigation → ${rows} rows loaded by scrolling`,
          "ms",
          runs.map((r) => r.rowsLoadedMs),
          { decimals: 0 },
        ),
        figure(
          "dashboard.row_elements",
          section,
          `row elements in the DOM at ${rows} rows`,
          "",
          runs.map((r) => r.rowElements),
          { decimals: 0 },
        ),
      ],
    };
  },
};
