import { isCount, isNullableString, isRecord, readApiError } from "@/lib/api/json-guards";
import { peopleFiltersToSearchParams, type PeopleFilters } from "@/lib/people/contract";
import type { PeoplePage, RosterRowError } from "@/lib/people/schema";

/** An API failure as the People view shows it: the API's code, its message, and a roster's row errors. */
export class PeopleApiFailure extends Error {
  override readonly name = "PeopleApiFailure";
  constructor(
    readonly code: string,
    message: string,
    readonly rows: RosterRowError[] = [],
  ) {
    super(message);
  }
}

export async function failureFrom(response: Response): Promise<PeopleApiFailure> {
  const body: unknown = await response.json().catch(() => null);
  const error = readApiError(body);
  if (!error) {
    return new PeopleApiFailure(
      "http_error",
      `Roster's server answered with status ${response.status}.`,
    );
  }
  const rows = (body as { error: { rows?: unknown } }).error.rows;
  const rowErrors = Array.isArray(rows) ? rows.filter(isRosterRowError) : [];
  return new PeopleApiFailure(error.code, error.message, rowErrors);
}

function isRosterRowError(row: unknown): row is RosterRowError {
  return (
    isRecord(row) &&
    Number.isInteger(row.line) &&
    isNullableString(row.column) &&
    typeof row.reason === "string"
  );
}

export async function fetchPeoplePage(
  filters: PeopleFilters,
  cursor: string | null,
  signal: AbortSignal,
): Promise<PeoplePage> {
  const params = peopleFiltersToSearchParams(filters);
  params.set("limit", "100");
  if (cursor) params.set("cursor", cursor);
  let response: Response;
  try {
    response = await fetch(`/api/people?${params.toString()}`, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new PeopleApiFailure("network_error", "Roster's server could not be reached.");
  }
  if (!response.ok) throw await failureFrom(response);
  const page: unknown = await response.json();
  if (!isPeoplePage(page)) {
    throw new PeopleApiFailure("invalid_response", "Roster's server sent an unreadable answer.");
  }
  return page;
}

/** `peoplePageSchema` (lib/people/schema.ts) as far as the list relies on it, without zod. */
function isPeoplePage(page: unknown): page is PeoplePage {
  return (
    isRecord(page) &&
    Array.isArray(page.data) &&
    page.data.every(
      (person) =>
        isRecord(person) &&
        typeof person.key === "string" &&
        isNullableString(person.email) &&
        isRecord(person.accounts) &&
        Array.isArray(person.accounts.telnyx) &&
        Array.isArray(person.accounts.openai) &&
        Array.isArray(person.flags),
    ) &&
    isNullableString(page.nextCursor) &&
    isCount(page.total) &&
    isRecord(page.counts) &&
    isRecord(page.asOf)
  );
}

export function peopleExportHref(filters: PeopleFilters): string {
  const query = peopleFiltersToSearchParams(filters).toString();
  return `/api/people/export${query ? `?${query}` : ""}`;
}

/** The person page for a key: emails as they are, account keys likewise (both URL-encoded). */
export function personHref(key: string): string {
  return `/people/${encodeURIComponent(key)}`;
}
