import "server-only";

import { assertProductionAuthConfig } from "@/lib/auth/config-check.mjs";
import { getDbHandle } from "@/lib/db/client";
import { startSchedule } from "@/lib/directory/jobs";
import { serverEnv } from "@/lib/server-env";
import { pruneActivity } from "@/lib/activity/log";

import { dataDirProblem } from "./data-dir";
import { stopOnSignals } from "./shutdown";

const DAY_MS = 86_400_000;

/**
 * What a server does at start. An unreachable database stops the process:
 * serving pages that fail on every read would hide the problem.
 */
export async function startServer(): Promise<void> {
  try {
    // next.config.mjs checks these at `next start`; the standalone server does not load it.
    const env = serverEnv();
    if (env.NODE_ENV === "production") assertProductionAuthConfig(env);
    const problem = env.DATABASE_URL ? null : dataDirProblem(env.ROSTER_DATA_DIR);
    if (problem) throw new Error(problem);
    await getDbHandle();
  } catch (error) {
    console.error(`Roster cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  stopOnSignals(startSchedule());
  scheduleActivityRetention();
}

/**
 * Prunes the activity log now and once a day. Every instance may do it: the
 * prune runs under the chain's row lock and does nothing when nothing is due.
 */
function scheduleActivityRetention(): void {
  const run = async () => {
    try {
      const { db } = await getDbHandle();
      await pruneActivity(db, { retentionDays: serverEnv().ACTIVITY_RETENTION_DAYS });
    } catch (error) {
      console.warn(
        `[roster] activity retention: ${error instanceof Error ? error.name : "error"}; retrying tomorrow`,
      );
    }
  };
  void run();
  setInterval(run, DAY_MS).unref();
}
