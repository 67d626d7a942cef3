/**
 * What the page does with answers: the retry of the lookups that failed, its
 * merge into the first answer, and the CSV. No server imports.
 */
import { CSV_BOM, csvRow } from "@/lib/export/csv";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";

import type { Account, CheckRequest, CheckResponse, CheckResult } from "./schema";

/** A vendor without a key stays unchecked however often one retries. */
export const NOT_CONFIGURED = "provider_not_configured";

/** One vendor's answer for one address, as the table and the CSV show it. */
export type CellState = Account["status"] | "not_found" | "not_checked" | "not_configured";

export function cellState(
  response: CheckResponse,
  result: CheckResult,
  provider: ProviderId,
): CellState {
  const key = result.email.toLowerCase();
  const failure = response.failed.find(
    (f) => f.provider === provider && f.email.toLowerCase() === key,
  );
  if (failure) return failure.code === NOT_CONFIGURED ? "not_configured" : "not_checked";
  if (!response.checked.includes(provider)) return "not_checked";
  return result[provider]?.status ?? "not_found";
}

/** The request that asks again, for the failed lookups alone; null when nothing can be retried. */
export function retryRequest(response: CheckResponse): CheckRequest | null {
  const retryable = response.failed.filter((f) => f.code !== NOT_CONFIGURED);
  if (retryable.length === 0) return null;
  const providers = PROVIDER_IDS.filter((p) => retryable.some((f) => f.provider === p));
  return { emails: [...new Set(retryable.map((f) => f.email))], providers };
}

/**
 * The first answer with the retried vendors' cells replaced by the retry's.
 * Lookups that failed again stay listed as failed.
 */
export function mergeRetry(previous: CheckResponse, retry: CheckResponse): CheckResponse {
  const retried = new Map(retry.results.map((r) => [r.email.toLowerCase(), r]));
  const results = previous.results.map((result) => {
    const fresh = retried.get(result.email.toLowerCase());
    if (!fresh) return result;
    const merged = { ...result };
    for (const provider of retry.checked) merged[provider] = fresh[provider];
    return merged;
  });
  const order = new Map(previous.results.map((r, i) => [r.email.toLowerCase(), i]));
  const stillFailed = previous.failed.filter(
    (f) => !(retry.checked.includes(f.provider) && retried.has(f.email.toLowerCase())),
  );
  const failed = [...stillFailed, ...retry.failed].sort(
    (a, b) =>
      (order.get(a.email.toLowerCase()) ?? 0) - (order.get(b.email.toLowerCase()) ?? 0) ||
      a.provider.localeCompare(b.provider),
  );
  const people = [...new Set([...(previous.people ?? []), ...(retry.people ?? [])])];
  return { ...previous, results, failed, ...(previous.people || retry.people ? { people } : {}) };
}

export const RESULT_CSV_COLUMNS = [
  "email",
  ...PROVIDER_IDS.flatMap((p) => [`${p}_status`, `${p}_role`, `${p}_id`, `${p}_last_active`]),
] as const;

/** Every address once, with each vendor's state (`not_found`, `not_checked`, ...); formula-guarded like the export. */
export function resultsCsv(response: CheckResponse): string {
  let csv = CSV_BOM + csvRow(RESULT_CSV_COLUMNS);
  for (const result of response.results) {
    const cells: (string | null)[] = [result.email];
    for (const provider of PROVIDER_IDS) {
      const account = result[provider];
      cells.push(
        cellState(response, result, provider),
        account?.role ?? null,
        account?.id ?? null,
        account?.lastActiveAt ?? null,
      );
    }
    csv += csvRow(cells);
  }
  return csv;
}

/** `roster-offboarding-2025-01-31.csv`, dated in UTC. */
export function resultsFilename(now = new Date()): string {
  return `roster-offboarding-${now.toISOString().slice(0, 10)}.csv`;
}
