/**
 * OpenAI `status=blocked`, the whole list, at the vendor latency: live (Roster
 * reads every vendor page and filters) against the directory
 * (`source=directory`, the database filters), on each store.
 */
import type { BenchContext, FigureModule, FigureResult } from "../context";
import { ensureSnapshots, readAll } from "../directory";
import { TARGETS } from "../modes";
import { probeRoute } from "../probe";
import { figure, type Figure } from "../report";

const SECTION = "Directory list";
const LIST = "/api/openai/users?status=blocked";

export const directoryListFigure: FigureModule = {
  id: "directoryList",
  section: SECTION,
  async probe(ctx) {
    const status = await probeRoute(ctx.app.url, "/api/directory/status", { cookie: ctx.cookie });
    if (status) return status;
    const res = await fetch(`${ctx.app.url}${LIST}&source=directory&limit=1`, {
      headers: { cookie: ctx.cookie },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    // Before source=directory exists, the list refuses the parameter as unknown.
    if (res.status === 400 && text.includes("source"))
      return `GET ${LIST}&source=directory answers 400: ${text.slice(0, 160)}`;
    return null;
  },
  async run(ctx: BenchContext): Promise<FigureResult> {
    const { stores } = await ctx.stores();
    const section = `${SECTION}: OpenAI status=blocked, whole list of ${ctx.sandbox.users.openai.toLocaleString("en-US")} users, sandbox ${ctx.mode.latencyMs} ms per call, live vs directory`;
    const figures: Figure[] = [];
    for (const store of stores) {
      await ctx.atVendorLatency(() =>
        ensureSnapshots(store.app.url, store.cookie, ["openai"], 300_000),
      );
      const before = await ctx.sandbox.requests();
      const live = await ctx.atVendorLatency(() =>
        readAll(`${store.app.url}${LIST}`, store.cookie),
      );
      const after = await ctx.sandbox.requests();
      const calls = after.openai - before.openai;
      const stored = await ctx.atVendorLatency(() =>
        readAll(`${store.app.url}${LIST}&source=directory`, store.cookie),
      );
      if (stored.rows !== live.rows || [...live.ids].some((id) => !stored.ids.has(id))) {
        throw new Error(
          `${store.kind}: the directory listed ${stored.rows} blocked users, live ${live.rows} (or other ids)`,
        );
      }
      ctx.log(
        `  ${store.kind}: ${live.rows} blocked users, live ${(live.ms / 1000).toFixed(2)} s in ${calls} vendor calls, directory ${stored.ms.toFixed(0)} ms`,
      );
      const key = `directory_list.${store.kind.toLowerCase()}`;
      figures.push(
        figure(
          `${key}.live_s`,
          section,
          `${store.kind}: live, ${live.rows} blocked users in ${live.pages} pages`,
          "s",
          [live.ms / 1000],
        ),
        figure(
          `${key}.live_vendor_calls`,
          section,
          `${store.kind}: live, vendor calls`,
          "",
          [calls],
          { decimals: 0 },
        ),
        figure(
          `${key}.directory_ms`,
          section,
          `${store.kind}: directory, ${stored.pages} pages`,
          "ms",
          [stored.ms],
          {
            decimals: 0,
            target: { op: "<=", value: TARGETS.directoryListMs, by: "max" },
          },
        ),
        figure(
          `${key}.speedup`,
          section,
          `${store.kind}: live / directory`,
          "×",
          [live.ms / stored.ms],
          {
            decimals: 1,
            target: { op: ">=", value: 20, by: "median" },
          },
        ),
      );
    }
    return { figures };
  },
};
