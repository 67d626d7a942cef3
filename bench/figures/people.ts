/**
 * People over the directory (100,000 Telnyx + 20,000 OpenAI users in the full
 * run): the first page and a flag filter, each timed as a script asks them,
 * on each store; and the server's memory while the whole People export streams.
 */
import type { BenchContext, FigureModule, FigureResult, NotBuilt, Store } from "../context";
import { ensureSnapshots, syncOnce } from "../directory";
import { download } from "../export";
import { idleRss, RssSampler } from "../memory";
import { RESYNC_CHANGED_SHARE, TARGETS } from "../modes";
import { jsonOf, probeRoute } from "../probe";
import { figure, type Figure } from "../report";

const SECTION = "People";
const MiB = 1024 * 1024;

/** The requests timed: the view's first rows, and one flag filter. */
const QUERIES = [
  { id: "first_page", label: "first page (limit=50)", path: "/api/people?limit=50" },
  {
    id: "flag_dormant",
    label: "flag=dormant (limit=50)",
    path: "/api/people?flag=dormant&limit=50",
  },
] as const;
const EXPORT_PATH = "/api/people/export";

async function timedGet(
  store: Store,
  path: string,
): Promise<{ ms: number; rows: number; total: number | null }> {
  const started = performance.now();
  const res = await fetch(`${store.app.url}${path}`, {
    headers: { cookie: store.cookie, accept: "application/json" },
    signal: AbortSignal.timeout(60_000),
  });
  const body = await jsonOf<{ data: unknown[]; total?: number | null }>(res, `GET ${path}`);
  return { ms: performance.now() - started, rows: body.data.length, total: body.total ?? null };
}

export const peopleFigure: FigureModule = {
  id: "people",
  section: SECTION,
  probe: (ctx) => probeRoute(ctx.app.url, "/api/people?limit=1", { cookie: ctx.cookie }),
  async run(ctx: BenchContext): Promise<FigureResult> {
    const { stores, missing } = await ctx.stores();
    const users = ctx.sandbox.users;
    const section = `${SECTION}: ${users.telnyx.toLocaleString("en-US")} Telnyx + ${users.openai.toLocaleString("en-US")} OpenAI users in the directory, ${ctx.mode.peopleRuns} requests each after one untimed (which may rebuild people)`;
    const figures: Figure[] = [];
    const notBuilt: NotBuilt[] = missing
      ? [{ id: "people.postgres", section, reason: `PostgreSQL: ${missing}`, kind: "not measured" }]
      : [];
    for (const store of stores) {
      await ctx.atVendorLatency(() =>
        ensureSnapshots(store.app.url, store.cookie, ["telnyx", "openai"], 300_000),
      );
    }
    // Once for every store: each one's re-sync below then finds the same changes.
    const moved = Math.max(1, Math.round(users.telnyx * RESYNC_CHANGED_SHARE));
    await ctx.sandbox.mutate({ vendor: "telnyx", add: moved, remove: moved });
    for (const store of stores) {
      for (const query of QUERIES) {
        const first = await timedGet(store, query.path);
        const runs: number[] = [];
        for (let i = 0; i < ctx.mode.peopleRuns; i++)
          runs.push((await timedGet(store, query.path)).ms);
        if (query.id === "first_page" && first.rows === 0)
          throw new Error(`${store.kind}: GET ${query.path} listed no people`);
        ctx.log(
          `  ${store.kind} ${query.path}: first ${first.ms.toFixed(0)} ms, then ${runs.map((ms) => ms.toFixed(0)).join(", ")} ms (total ${String(first.total)})`,
        );
        const key = `people.${store.kind.toLowerCase()}.${query.id}`;
        figures.push(
          figure(
            `${key}.first_ms`,
            section,
            `${store.kind}: ${query.label}, first request`,
            "ms",
            [first.ms],
            { decimals: 0 },
          ),
          figure(`${key}.ms`, section, `${store.kind}: ${query.label}`, "ms", runs, {
            decimals: 0,
            target: { op: "<=", value: TARGETS.peopleMs, by: "median" },
          }),
        );
      }
      // What an admin opening People after a scheduled sync waits for: the people it changed.
      await syncOnce(store.app.url, store.cookie, "telnyx", 300_000);
      const [firstPage] = QUERIES;
      const afterSync = await timedGet(store, firstPage.path);
      ctx.log(
        `  ${store.kind} ${firstPage.path} after a Telnyx re-sync: ${afterSync.ms.toFixed(0)} ms`,
      );
      figures.push(
        figure(
          `people.${store.kind.toLowerCase()}.after_resync.first_ms`,
          section,
          `${store.kind}: ${firstPage.label}, first request after a Telnyx re-sync (${RESYNC_CHANGED_SHARE * 100}% left, as many joined)`,
          "ms",
          [afterSync.ms],
          { decimals: 0 },
        ),
      );
    }

    const exportMissing = await probeRoute(ctx.app.url, EXPORT_PATH, { cookie: ctx.cookie });
    if (exportMissing) {
      notBuilt.push({ id: "people.export", section, reason: `People export: ${exportMissing}` });
    } else {
      const pid = ctx.app.serverPid;
      const idle = await idleRss(pid);
      const sampler = new RssSampler(pid);
      sampler.start();
      const res = await download(`${ctx.app.url}${EXPORT_PATH}`, { cookie: ctx.cookie }, 300_000);
      const { peak } = sampler.stop();
      if (res.status !== 200) throw new Error(`GET ${EXPORT_PATH}: ${res.status}`);
      ctx.log(
        `  People export: ${(res.ms / 1000).toFixed(2)} s, ${(res.body.length / MiB).toFixed(1)} MiB, RSS +${((peak - idle) / MiB).toFixed(0)} MiB`,
      );
      figures.push(
        figure("people.export.wall_s", section, "People export (PGlite), whole file", "s", [
          res.ms / 1000,
        ]),
        figure(
          "people.export.growth_mib",
          section,
          "People export: server RSS peak − idle",
          "MiB",
          [(peak - idle) / MiB],
          {
            decimals: 1,
            target: { op: "<=", value: TARGETS.peopleExportMemoryGrowthMiB, by: "max" },
          },
        ),
      );
    }
    return { figures, notBuilt };
  },
};
