import "server-only";

import { ApiError } from "@/lib/api/errors";
import type { ProviderAdapter } from "@/lib/providers/types";
import type { ApiErrorCode, ProviderId, User, UserStatus } from "@/lib/users/schema";

import { unicodeForms } from "./parse";
import type { Account, CheckResult, FailedLookup } from "./schema";

/**
 * After this many failed lookups in a row a vendor is taken as down for this
 * check: its remaining addresses are "not checked" at once instead of each
 * waiting through its own retries. The admin's retry asks again.
 */
export const FAILURES_BEFORE_GIVING_UP = 3;
/** Failures that no other address can escape: stop asking at the first one. */
const FATAL: ReadonlySet<string> = new Set<ApiErrorCode>([
  "provider_not_configured",
  "upstream_auth_failed",
]);

export interface LookupPlan {
  /** Unique, valid addresses. */
  emails: readonly string[];
  adapters: readonly ProviderAdapter[];
  /** Vendor calls in flight at once, per vendor. */
  concurrency: number;
  /** Addresses per OpenAI `emails[]` call; Telnyx takes one address per call. */
  openaiBatchSize: number;
  signal?: AbortSignal;
  /** Addresses whose every vendor has answered (or failed) so far. */
  onProgress?: (checked: number, total: number) => void;
}

export interface LookupOutcome {
  results: CheckResult[];
  failed: FailedLookup[];
}

function toAccount(user: User): Account {
  return { status: user.status, role: user.role, id: user.id, lastActiveAt: user.lastActiveAt };
}

const ACCESS_ORDER: Record<UserStatus, number> = { enabled: 0, disabled: 1, blocked: 2 };

/**
 * The vendor's account for `email`, matched exactly, case-insensitively and in
 * either Unicode form (composed or not) (Telnyx's filter is a partial match:
 * `ana@x.com` must not match `hana@x.com`). Should a vendor hold two, the one
 * with most access wins.
 */
export function exactMatch(users: readonly User[], email: string): Account | null {
  const key = email.normalize("NFC").toLowerCase();
  const matches = users
    .filter((user) => user.email?.normalize("NFC").toLowerCase() === key)
    .sort((a, b) => ACCESS_ORDER[a.status] - ACCESS_ORDER[b.status]);
  return matches[0] ? toAccount(matches[0]) : null;
}

/** What Telnyx's filter (one address per call) is asked for: each address in both Unicode forms. */
function telnyxQueries(batch: readonly string[]): string[] {
  return [...new Set(batch.flatMap(unicodeForms))];
}

/**
 * What OpenAI's exact filter is asked for: each address as written and
 * lowercased (its case handling is undocumented), in both Unicode forms.
 */
function openaiVariants(batch: readonly string[]): string[] {
  return [...new Set(batch.flatMap(unicodeForms).flatMap((email) => [email, email.toLowerCase()]))];
}

/** Runs `tasks` with at most `limit` at a time; each task handles its own errors. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The check was cancelled.", "AbortError");
}

/**
 * Looks every address up in every adapter, live: the vendors side by side,
 * each with `concurrency` calls in flight. A lookup that fails (after the
 * adapter's retries) is listed in `failed`, never reported as not found.
 * Rejects only when `signal` aborts.
 */
export async function lookUpAddresses(plan: LookupPlan): Promise<LookupOutcome> {
  const { emails, adapters, signal } = plan;
  const cells = new Map<string, Partial<Record<ProviderId, Account | null>>>();
  const settled = new Map<string, number>();
  const failed: FailedLookup[] = [];
  let checked = 0;
  for (const email of emails) {
    cells.set(email, {});
    settled.set(email, 0);
  }

  const settle = (email: string) => {
    const count = (settled.get(email) ?? 0) + 1;
    settled.set(email, count);
    if (count === adapters.length) {
      checked += 1;
      plan.onProgress?.(checked, emails.length);
    }
  };

  const vendorRun = async (adapter: ProviderAdapter) => {
    let givenUp: string | null = adapter.isConfigured() ? null : "provider_not_configured";
    let failuresInARow = 0;
    const size = adapter.id === "openai" ? plan.openaiBatchSize : 1;
    const tasks = chunk(emails, size).map((batch) => async () => {
      if (signal?.aborted) return;
      const fail = (code: string) => {
        for (const email of batch) {
          failed.push({ email, provider: adapter.id, code });
          settle(email);
        }
      };
      if (givenUp) return fail(givenUp);
      try {
        const query = adapter.id === "openai" ? openaiVariants(batch) : telnyxQueries(batch);
        const users = await adapter.findUsersByEmail(query, signal);
        failuresInARow = 0;
        for (const email of batch) {
          const cell = cells.get(email);
          if (cell) cell[adapter.id] = exactMatch(users, email);
          settle(email);
        }
      } catch (error) {
        if (signal?.aborted) return;
        const code = error instanceof ApiError ? error.code : "internal_error";
        if (!(error instanceof ApiError)) {
          console.error(`[roster] offboarding lookup (${adapter.id}): unexpected error`);
        }
        failuresInARow += 1;
        if (FATAL.has(code) || failuresInARow >= FAILURES_BEFORE_GIVING_UP) givenUp = code;
        fail(code);
      }
    });
    await runLimited(tasks, plan.concurrency);
  };

  await Promise.all(adapters.map(vendorRun));
  if (signal?.aborted) throw abortError(signal);

  const order = new Map(emails.map((email, i) => [email, i]));
  failed.sort(
    (a, b) =>
      (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0) || a.provider.localeCompare(b.provider),
  );
  const results = emails.map((email) => {
    const cell = cells.get(email) ?? {};
    return { email, telnyx: cell.telnyx ?? null, openai: cell.openai ?? null };
  });
  return { results, failed };
}
