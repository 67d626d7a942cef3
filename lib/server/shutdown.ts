import "server-only";

import { closeDb } from "@/lib/db/client";
import { stopSyncs } from "@/lib/directory/jobs";

/**
 * How long a stop waits for the running syncs to record that they stopped
 * (`compose.yaml` gives the container longer than this to exit).
 */
export const STOP_SYNCS_MS = 10_000;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * What a server does when it is asked to stop (SIGTERM from the container
 * runtime, Ctrl-C): no new scheduled syncs; each running sync stops and is
 * recorded as failed with `server_stopped`, so the vendor's lease is free for
 * the next start instead of looking busy until it goes stale; then the
 * database closes (PGlite writes everything out, a server's pool ends).
 *
 * Next.js stops its HTTP server on these signals and exits when that is done,
 * which would cut this short, unless `NEXT_MANUAL_SIG_HANDLE` is set, as the
 * container image and `scripts/start-standalone.mjs` do: then this exits
 * itself once done, with the code Next.js would use. Without it, the syncs
 * still stop at once but may be cut short (the lease then goes stale), and
 * the database is left to the exit.
 */
export function stopOnSignals(stopSchedule: () => void): void {
  const manual = process.env.NEXT_MANUAL_SIG_HANDLE === "true";
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stopServerWork(stopSchedule, { closeDatabase: manual }).finally(() => {
        if (manual) process.exit(EXIT_CODES[signal]);
      });
    });
  }
}

/**
 * The steps of a stop; never throws (a stop must end in an exit). The database
 * closes only when this process decides when to exit: otherwise requests that
 * Next.js is still finishing would find it closed.
 */
async function stopServerWork(
  stopSchedule: () => void,
  { closeDatabase }: { closeDatabase: boolean },
): Promise<void> {
  stopSchedule();
  // stopSyncs settles every sync and never rejects; a sync that hangs past the bound is cut.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stopSyncs(),
    new Promise((resolve) => {
      timer = setTimeout(resolve, STOP_SYNCS_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!closeDatabase) return;
  await closeDb().catch((error: unknown) => {
    console.warn(
      `[roster] closing the database: ${error instanceof Error ? error.message : error}`,
    );
  });
}
