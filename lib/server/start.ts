import "server-only";

import { assertProductionAuthConfig } from "@/lib/auth/config-check.mjs";
import { getDbHandle } from "@/lib/db/client";
import { startSchedule } from "@/lib/directory/jobs";
import { serverEnv } from "@/lib/server-env";

/**
 * What a server does at start. An unreachable database stops the process:
 * serving pages that fail on every read would hide the problem.
 */
export async function startServer(): Promise<void> {
  try {
    // next.config.mjs checks these at `next start`; the standalone server does not load it.
    const env = serverEnv();
    if (env.NODE_ENV === "production") assertProductionAuthConfig(env);
    await getDbHandle();
  } catch (error) {
    console.error(`Roster cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  startSchedule();
}
