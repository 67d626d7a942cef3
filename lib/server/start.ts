import "server-only";

import { getDbHandle } from "@/lib/db/client";
import { startSchedule } from "@/lib/directory/jobs";

/**
 * What a server does at start. An unreachable database stops the process:
 * serving pages that fail on every read would hide the problem.
 */
export async function startServer(): Promise<void> {
  try {
    await getDbHandle();
  } catch (error) {
    console.error(`Roster cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  startSchedule();
}
