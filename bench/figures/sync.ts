/**
 * Directory sync of each vendor at the vendor latency (50 ms per call), first
 * and again after 1% of the users left and 1% joined: wall time against the
 * export's lower bound (the fewest round trips a full read can take), users
 * read per second, server RSS growth and bytes on disk per snapshot, on PGlite
 * and on PostgreSQL.
 */
import { PROVIDER_IDS } from "../../lib/users/contract";
import type { BenchContext, FigureModule, FigureResult, NotBuilt } from "../context";
import { directoryStatus, syncOnce, whenSettled } from "../directory";
import { lowerBound } from "../export";
import { idleRss, RssSampler } from "../memory";
import { RESYNC_CHANGED_SHARE, TARGETS } from "../modes";
import { cpuTimeMs } from "../processes";
import { probeRoute } from "../probe";
import { figure, type Figure } from "../report";

const MiB = 1024 * 1024;
const SECTION = "Directory sync";

/**
 * The first sync writes every user; a re-sync (every scheduled one after it)
 * reads every user and writes only what changed.
 */
const RUNS = [
  { id: "first", label: "first sync", keySuffix: "" },
  { id: "resync", label: "re-sync (1% left, 1% joined)", keySuffix: ".resync" },
] as const;

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
          for (const run of RUNS) {
            if (run.id === "first") {
              // A database kept from an earlier run would make the "first" sync a re-sync.
              const held = (await directoryStatus(store.app.url, store.cookie)).providers[provider];
              if (held.current) {
                throw new Error(
                  `${store.kind} already holds a ${provider} snapshot (${held.current.rows} users), so its first sync would not be one: point BENCH_DATABASE_URL at an empty database`,
                );
              }
            }
            if (run.id === "resync") {
              const moved = Math.max(1, Math.round(users[provider] * RESYNC_CHANGED_SHARE));
              await ctx.sandbox.mutate({ vendor: provider, add: moved, remove: moved });
            }
            const idle = await idleRss(store.app.serverPid);
            const diskBefore = store.diskBytes();
            const sampler = new RssSampler(store.app.serverPid);
            const cpuBefore = {
              app: cpuTimeMs(store.app.serverPid),
              sandbox: cpuTimeMs(ctx.sandbox.proc.pid),
            };
            sampler.start();
            const { ms, status } = await syncOnce(store.app.url, store.cookie, provider, 300_000);
            // Memory, CPU and disk include what the sync does after its snapshot is current.
            const diskAfter = await whenSettled(store.app.serverPid, () => store.diskBytes());
            const { peak } = sampler.stop();
            const cpu = {
              app: cpuTimeMs(store.app.serverPid) - cpuBefore.app,
              sandbox: cpuTimeMs(ctx.sandbox.proc.pid) - cpuBefore.sandbox,
            };
            const rows = status.current?.rows ?? users[provider];
            if (rows !== users[provider]) {
              throw new Error(
                `${store.kind} ${provider} ${run.label} wrote ${rows} rows; the sandbox holds ${users[provider]}`,
              );
            }
            ctx.log(
              `  ${store.kind} ${provider} ${run.label}: ${(ms / 1000).toFixed(2)} s (bound ${(bound.ms / 1000).toFixed(2)} s), CPU Roster ${(cpu.app / 1000).toFixed(1)} s / sandbox ${(cpu.sandbox / 1000).toFixed(1)} s, RSS +${((peak - idle) / MiB).toFixed(0)} MiB, disk +${((diskAfter - diskBefore) / MiB).toFixed(1)} MiB`,
            );
            const key = `sync.${store.kind.toLowerCase()}.${provider}${run.keySuffix}`;
            const name = `${store.kind} ${provider} ${run.label}`;
            figures.push(
              figure(`${key}.wall_s`, section, `${name} wall time`, "s", [ms / 1000]),
              figure(
                `${key}.to_bound`,
                section,
                `${name} / export lower bound (${(bound.ms / 1000).toFixed(2)} s)`,
                "×",
                [ms / bound.ms],
                {
                  target: { op: "<=", value: TARGETS.syncToBound, by: "median" },
                },
              ),
              figure(
                `${key}.rows_per_s`,
                section,
                `${name}, users read per second`,
                "rows/s",
                [rows / (ms / 1000)],
                { decimals: 0 },
              ),
              figure(
                `${key}.app_cpu_s`,
                section,
                `${name}, Roster server CPU`,
                "s",
                [cpu.app / 1000],
                {
                  decimals: 1,
                },
              ),
              figure(
                `${key}.sandbox_cpu_s`,
                section,
                `${name}, sandbox CPU (the vendor's side)`,
                "s",
                [cpu.sandbox / 1000],
                { decimals: 1 },
              ),
              figure(
                `${key}.rss_growth_mib`,
                section,
                `${name}, server RSS growth (peak − idle)`,
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
                `${name}, bytes on disk added`,
                "MiB",
                [(diskAfter - diskBefore) / MiB],
                { decimals: 1 },
              ),
            );
          }
        }
      }
    });
    return { figures, notBuilt };
  },
};
