import "server-only";

import { ApiError } from "@/lib/api/errors";
import type { ApiErrorCode, ProviderId, UserStatus, UsersFilters } from "@/lib/users/schema";

export type ExportOutcome = "ok" | "failed" | "cancelled";

/**
 * One line per export. It holds no user data: the email filter's text could
 * be someone's address, so only whether it was set is logged.
 */
export interface ExportLogEntry {
  event: "roster.export";
  admin: string;
  provider: ProviderId;
  filters: { status: UserStatus | null; email: boolean; groups: boolean };
  columns: string[];
  rows: number;
  durationMs: number;
  outcome: ExportOutcome;
  /** The ApiError code when the export failed. */
  error?: ApiErrorCode;
  /** The ApiError's server-side detail (vendor status and error code, never a body), or the name of another error. */
  detail?: string;
}

/** What the log may say about the cause: an ApiError's detail, or only the name of anything else. */
function detailOf(error: unknown): { detail?: string } {
  if (error instanceof ApiError) return error.detail ? { detail: error.detail } : {};
  return { detail: `unexpected ${error instanceof Error ? error.name : typeof error}` };
}

export function exportLogEntry(input: {
  admin: string;
  provider: ProviderId;
  filters: UsersFilters;
  columns: readonly { id: string }[];
  rows: number;
  durationMs: number;
  outcome: ExportOutcome;
  error?: unknown;
}): ExportLogEntry {
  const failed = input.outcome === "failed";
  const apiError = input.error instanceof ApiError ? input.error : undefined;
  return {
    event: "roster.export",
    admin: input.admin,
    provider: input.provider,
    filters: {
      status: input.filters.status ?? null,
      email: input.filters.email !== undefined,
      groups: input.filters.groups,
    },
    columns: input.columns.map((column) => column.id),
    rows: input.rows,
    durationMs: Math.round(input.durationMs),
    outcome: input.outcome,
    ...(failed ? { error: apiError?.code ?? "internal_error" } : {}),
    ...(failed ? detailOf(input.error) : {}),
  };
}

export function logExport(entry: ExportLogEntry): void {
  console.info(JSON.stringify(entry));
}
