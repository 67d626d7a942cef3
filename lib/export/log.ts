import "server-only";

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
}

export function exportLogEntry(input: {
  admin: string;
  provider: ProviderId;
  filters: UsersFilters;
  columns: readonly { id: string }[];
  rows: number;
  durationMs: number;
  outcome: ExportOutcome;
  error?: ApiErrorCode;
}): ExportLogEntry {
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
    ...(input.error ? { error: input.error } : {}),
  };
}

export function logExport(entry: ExportLogEntry): void {
  console.info(JSON.stringify(entry));
}
