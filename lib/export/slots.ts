import "server-only";

import { ApiError } from "@/lib/api/errors";
import { serverEnv } from "@/lib/server-env";

/** A running export's claim on the limits. `release()` may be called any number of times; only the first counts. */
export interface ExportSlot {
  release(): void;
}

/** Which limit refused an export, and its value. */
export interface ExportSlotRefusal {
  refused: "admin" | "total";
  limit: number;
}

/**
 * Caps the exports running at once, per admin and per instance. The one
 * interface the export uses, so a store shared by every instance (a database)
 * can replace the in-memory one without touching the export.
 */
export interface ExportSlots {
  acquire(admin: string): Promise<ExportSlot | ExportSlotRefusal>;
}

export interface ExportLimits {
  perAdmin: number;
  total: number;
}

/** Counts in this process: right while Roster runs as one instance. */
export class InMemoryExportSlots implements ExportSlots {
  private readonly byAdmin = new Map<string, number>();
  private running = 0;

  /** `limits` is read at every acquire, so a changed env applies to the next export. */
  constructor(private readonly limits: () => ExportLimits) {}

  async acquire(admin: string): Promise<ExportSlot | ExportSlotRefusal> {
    const key = admin.toLowerCase();
    const { perAdmin, total } = this.limits();
    const mine = this.byAdmin.get(key) ?? 0;
    if (mine >= perAdmin) return { refused: "admin", limit: perAdmin };
    if (this.running >= total) return { refused: "total", limit: total };
    this.byAdmin.set(key, mine + 1);
    this.running += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.running -= 1;
        const left = (this.byAdmin.get(key) ?? 1) - 1;
        if (left > 0) this.byAdmin.set(key, left);
        else this.byAdmin.delete(key);
      },
    };
  }

  /** Exports running now, in all and for one admin; for tests. */
  inUse(admin?: string): number {
    return admin === undefined ? this.running : (this.byAdmin.get(admin.toLowerCase()) ?? 0);
  }
}

/** The instance's limiter, sized by `EXPORT_MAX_PER_ADMIN` and `EXPORT_MAX_TOTAL`. */
export const exportSlots = new InMemoryExportSlots(() => {
  const env = serverEnv();
  return { perAdmin: env.EXPORT_MAX_PER_ADMIN, total: env.EXPORT_MAX_TOTAL };
});

/** A slot for `admin`'s export, or 429 `too_many_exports` with a message the dashboard shows as is. */
export async function acquireExportSlot(slots: ExportSlots, admin: string): Promise<ExportSlot> {
  const slot = await slots.acquire(admin);
  if (!("refused" in slot)) return slot;
  const message =
    slot.refused === "admin"
      ? `You already have ${slot.limit} ${slot.limit === 1 ? "export" : "exports"} running, the most one admin may run at once. Wait for one to finish or cancel it, then try again.`
      : "The server is already running as many exports as it allows at once. Try again in a minute.";
  throw new ApiError("too_many_exports", message);
}

/**
 * Answers `respond()` while holding one of `admin`'s export slots: 429
 * `too_many_exports` before `respond` runs when none is free. For the exports
 * that build their own response (people, changes, activity): the slot is
 * given back when the body ends, fails or is cancelled, when `signal` aborts
 * (the client went away), or at once when `respond` throws or has no body.
 */
export async function withExportSlot(
  slots: ExportSlots,
  admin: string,
  signal: AbortSignal,
  respond: () => Promise<Response>,
): Promise<Response> {
  const slot = await acquireExportSlot(slots, admin);
  const release = () => {
    signal.removeEventListener("abort", release);
    slot.release();
  };
  let response: Response;
  try {
    response = await respond();
  } catch (error) {
    release();
    throw error;
  }
  if (!response.body || signal.aborted) {
    release();
    return response;
  }
  signal.addEventListener("abort", release, { once: true });
  // One chunk per pull, read directly: through a pipe, a chunk still queued when the body errors
  // would be dropped, and that chunk is the line saying why an export was cut off.
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          release();
          controller.close();
        } else {
          controller.enqueue(next.value);
        }
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    async cancel(reason) {
      release();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
