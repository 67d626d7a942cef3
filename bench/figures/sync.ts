/**
 * Directory sync of each vendor at the vendor latency (50 ms per call): wall
 * time against the export's lower bound (the fewest round trips a full read
 * can take), rows written per second, server RSS growth and bytes on disk per
 * snapshot, on PGlite and on PostgreSQL.
 */
import { PROVIDER_IDS } from "../../lib/users/schema";
import type { BenchContext, FigureModule, FigureResult, NotBuilt } from "../context";
import { syncOnce } from "../directory";
import { lowerBound } from "../export";
import { idleRss, RssSampler } from "../memory";
import { TARGETS } from "../modes";
import { probeRoute } from "../probe";
import { figure, type Figure } from "../report";

const MiB = 1024 * 1024;
const SECTION = "Directory sync";

export const syncFigure: FigureModule = {
  id: "sync",
  section: SECTION,
  probe: (ctx) => probeRoute(ctx.app.url, "/api/directory/status", { cookie: ctx.cookie }),
  async run(ctx: BenchContext): Promise<FigureResult> {
    const { stores, missing } = await ctx.stores();
    const users = ctx.sandbox.users;
    const section = `${SECTION}: ${users.telnyx.toLocaleString("en-US")} Telnyx / ${users.openai.toLocaleString("en-US")} OpenAI users, sandbox ${ctx.mode.latencyMs} ms per call, EXPORT_CONCURRENCY ${ctx.concurrency}`;
    const figures: Figure[] = [];
    const notBuilt: NotBuilt[] = missing
      ? [{ id: "sync.postgres", section, reason: `PostgreSQL: ${missing}`, kind: "not measured" }]
      : [];
    await ctx.atVendorLatency(async () => {
      for (const store of stores) {
        for (const provider of PROVIDER_IDS) {
          const bound = lowerBound(provider, users[provider], ctx.mode.latencyMs, ctx.concurrency);
          const idle = await idleRss(store.app.serverPid);
          const diskBefore = store.diskBytes();
          const sampler = new RssSampler(store.app.serverPid);
          sampler.start();
          const { ms, status } = await syncOnce(store.app.url, store.cookie, provider, 300_000);
          const { peak } = sampler.stop();
          const diskAfter = store.diskBytes();
          const rows = status.current?.rows ?? users[provider];
          if (rows !== users[provider]) {
            throw new Error(
              `${store.kind} ${provider} sync wrote ${rows} rows; the sandbox holds ${users[provider]}`,
            );
          }
          ctx.log(
            `  ${store.kind} ${provider} sync: ${(ms / 1000).toFixed(2)} s (bound ${(bound.ms / 1000).toFixed(2)} s), RSS +${((peak - idle) / MiB).toFixed(0)} MiB, disk +${((diskAfter - diskBefore) / MiB).toFixed(1)} MiB`,
          );
          const key = `sync.${store.kind.toLowerCase()}.${provider}`;
          const name = `${store.kind} ${provider}`;
          figures.push(
            figure(`${key}.wall_s`, section, `${name} sync wall time`, "s", [ms / 1000]),
            figure(
              `${key}.to_bound`,
              section,
              `${name} sync / export lower bound (${(bound.ms / 1000).toFixed(2)} s)`,
              "×",
              [ms / bound.ms],
              {
                target: { op: "<=", value: TARGETS.syncToBound, by: "median" },
              },
            ),
            figure(
              `${key}.rows_per_s`,
              section,
              `${name} rows written per second`,
              "rows/s",
              [rows / (ms / 1000)],
              { decimals: 0 },
            ),
            figure(
              `${key}.rss_growth_mib`,
              section,
              `${name} server RSS growth (peak − idle)`,
              "MiB",
              [(peak - idle) / MiB],
              {
                decimals: 1,
                target: { op: "<=", value: TARGETS.syncRssGrowthMiB, by: "max" },
              },
            ),
            figure(
              `${key}.disk_mib`,
              section,
              `${name} bytes on disk added by the snapshot`,
              "MiB",
              [(diskAfter - diskBefore) / MiB],
              { decimals: 1 },
            ),
          );
        }
      }
    });
    return { figures, notBuilt };
  },
};
