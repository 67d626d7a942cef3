import {
  peoplePageSchema,
  peopleFiltersToSearchParams,
  rosterRowErrorSchema,
  type PeopleFilters,
  type PeoplePage,
  type RosterRowError,
} from "@/lib/people/schema";
import { apiErrorBodySchema } from "@/lib/users/schema";

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
  const parsed = apiErrorBodySchema.safeParse(body);
  if (!parsed.success) {
    return new PeopleApiFailure(
      "http_error",
      `Roster's server answered with status ${response.status}.`,
    );
  }
  const rows = (body as { error: { rows?: unknown } }).error.rows;
  const rowErrors = Array.isArray(rows)
    ? rows.flatMap((row) => {
        const one = rosterRowErrorSchema.safeParse(row);
        return one.success ? [one.data] : [];
      })
    : [];
  return new PeopleApiFailure(parsed.data.error.code, parsed.data.error.message, rowErrors);
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
  const parsed = peoplePageSchema.safeParse(await response.json());
  if (!parsed.success) {
    throw new PeopleApiFailure("invalid_response", "Roster's server sent an unreadable answer.");
  }
  return parsed.data;
}

export function peopleExportHref(filters: PeopleFilters): string {
  const query = peopleFiltersToSearchParams(filters).toString();
  return `/api/people/export${query ? `?${query}` : ""}`;
}

/** The person page for a key: emails as they are, account keys likewise (both URL-encoded). */
export function personHref(key: string): string {
  return `/people/${encodeURIComponent(key)}`;
}
