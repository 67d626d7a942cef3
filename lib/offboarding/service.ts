import "server-only";

import { inArray } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import { getDb, isDbOpen } from "@/lib/db/client";
import { directoryUsers } from "@/lib/db/schema";
import { getProvider } from "@/lib/providers";
import type { ProviderAdapter } from "@/lib/providers/types";
import { serverEnv } from "@/lib/server-env";
import { PROVIDER_IDS } from "@/lib/users/contract";

import { onCheckCompleted } from "./activity";
import { lookUpAddresses } from "./check";
import { normalizeEntries } from "./parse";
import { summarize, type CheckRequest, type CheckResponse, type StreamEvent } from "./schema";

export interface CheckInput {
  admin: string;
  request: CheckRequest;
  signal?: AbortSignal;
  /** Overrides the registry's adapters (tests). */
  adapters?: readonly ProviderAdapter[];
  onStart?: (total: number) => void;
  onProgress?: (checked: number, total: number) => void;
}

/**
 * One offboarding check: validate and merge the entries, ask every vendor
 * live, answer in the API's shape and report the check to `onCheckCompleted`.
 */
export async function runCheck(input: CheckInput): Promise<CheckResponse> {
  const started = performance.now();
  const checkedAt = new Date().toISOString();
  const env = serverEnv();
  const { emails, invalid, duplicates } = normalizeEntries(input.request.emails);
  const wanted = new Set(input.request.providers ?? PROVIDER_IDS);
  const adapters = input.adapters ?? PROVIDER_IDS.filter((id) => wanted.has(id)).map(getProvider);
  input.onStart?.(emails.length);
  const { results, failed } = await lookUpAddresses({
    emails,
    adapters,
    concurrency: env.EXPORT_CONCURRENCY,
    openaiBatchSize: env.OFFBOARDING_OPENAI_BATCH_SIZE,
    signal: input.signal,
    onProgress: input.onProgress,
  });
  const response: CheckResponse = {
    checkedAt,
    checked: adapters.map((adapter) => adapter.id),
    results,
    people: await withPersonPage(emails),
    invalid,
    duplicates,
    failed,
  };
  const summary = summarize(response);
  await onCheckCompleted({
    admin: input.admin,
    at: checkedAt,
    addresses: summary.addresses,
    stillWithAccess: summary.stillWithAccess,
    notChecked: summary.notChecked,
    durationMs: Math.round(performance.now() - started),
  });
  return response;
}

/**
 * Which of these addresses the directory knows (a current or past account
 * with that email), so the page links only to person pages that exist. The
 * live answer does not depend on it: without a database, no links.
 */
async function withPersonPage(emails: readonly string[]): Promise<string[]> {
  // Only the process's own store: a process that never opened one (a script, a test) has no pages.
  if (emails.length === 0 || !isDbOpen()) return [];
  try {
    const keys = emails.map((email) => email.trim().toLowerCase());
    const rows = await (
      await getDb()
    )
      .selectDistinct({ key: directoryUsers.emailKey })
      .from(directoryUsers)
      .where(inArray(directoryUsers.emailKey, keys));
    return rows.flatMap((row) => (row.key ? [row.key] : []));
  } catch (error) {
    console.warn(
      `[roster] offboarding: person pages not looked up (${error instanceof Error ? error.name : "error"})`,
    );
    return [];
  }
}

/** Progress lines are sent at most this often; the last one always goes out. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * The same check as NDJSON `StreamEvent` lines, for the page: `start`, then
 * `progress` as addresses complete, then `done` with the whole answer (or
 * `error`). The client going away (Cancel) aborts the vendor calls.
 */
export function checkStreamResponse(input: Omit<CheckInput, "onStart" | "onProgress">): Response {
  const controller = new AbortController();
  const abort = () => controller.abort(input.signal?.reason);
  if (input.signal?.aborted) abort();
  input.signal?.addEventListener("abort", abort, { once: true });
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    async start(sink) {
      const send = (event: StreamEvent) => {
        if (!controller.signal.aborted) sink.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      let lastSent = 0;
      try {
        const result = await runCheck({
          ...input,
          signal: controller.signal,
          onStart: (total) => send({ type: "start", total }),
          onProgress: (checked, total) => {
            const now = performance.now();
            if (checked < total && now - lastSent < PROGRESS_INTERVAL_MS) return;
            lastSent = now;
            send({ type: "progress", checked, total });
          },
        });
        send({ type: "done", result });
      } catch (error) {
        if (!controller.signal.aborted) {
          const apiError =
            error instanceof ApiError
              ? error
              : new ApiError("internal_error", "Something went wrong on the server. Try again.");
          if (!(error instanceof ApiError)) console.error("[roster] offboarding check: unexpected");
          send({ type: "error", error: { code: apiError.code, message: apiError.message } });
        }
      } finally {
        input.signal?.removeEventListener("abort", abort);
        try {
          sink.close();
        } catch {
          // Already cancelled by the client: nothing left to close.
        }
      }
    },
    cancel() {
      controller.abort();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}
