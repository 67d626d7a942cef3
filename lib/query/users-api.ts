import { isCount, isNullableString, isRecord, readApiError } from "@/lib/api/json-guards";
import { MAX_LIMIT, filtersToSearchParams, isProviderId, isUserStatus } from "@/lib/users/contract";
import type { ProviderId, UsersFilters, UsersPage, UsersSource } from "@/lib/users/schema";

/** An API failure as the UI shows it: the API's code and its plain-words message. */
export class UsersApiError extends Error {
  override readonly name = "UsersApiError";

  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
    /** From `Retry-After`, when the API sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  /** Worth retrying on its own: the vendor, the network or Roster's database may answer next time. */
  get isTransient(): boolean {
    return (
      this.code === "network_error" ||
      this.code === "database_unavailable" ||
      this.code === "upstream_unavailable" ||
      this.code === "upstream_timeout" ||
      this.code === "too_many_requests"
    );
  }
}

function retryAfterMs(headers: Headers): number | null {
  const value = headers.get("retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

async function errorFromResponse(res: Response): Promise<UsersApiError> {
  const body: unknown = await res.json().catch(() => null);
  const error = readApiError(body);
  if (error)
    return new UsersApiError(error.code, error.message, res.status, retryAfterMs(res.headers));
  return new UsersApiError(
    "http_error",
    `Roster's server answered with status ${res.status}.`,
    res.status,
    retryAfterMs(res.headers),
  );
}

export interface FetchUsersPageArgs {
  provider: ProviderId;
  filters: UsersFilters;
  cursor: string | null;
  source?: UsersSource;
  limit?: number;
  signal?: AbortSignal;
}

/** One page of `GET /api/{provider}/users`, checked for the shape the grid reads. */
export async function fetchUsersPage({
  provider,
  filters,
  cursor,
  source = "vendor",
  limit = MAX_LIMIT,
  signal,
}: FetchUsersPageArgs): Promise<UsersPage> {
  const params = filtersToSearchParams(filters);
  if (source !== "vendor") params.set("source", source);
  params.set("limit", String(limit));
  if (cursor !== null) params.set("cursor", cursor);

  let res: Response;
  try {
    res = await fetch(`/api/${provider}/users?${params.toString()}`, {
      headers: { Accept: "application/json" },
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new UsersApiError(
      "network_error",
      "Could not reach Roster's server. Check your connection.",
      null,
    );
  }
  if (!res.ok) throw await errorFromResponse(res);

  const page: unknown = await res.json().catch(() => null);
  if (!isUsersPage(page)) {
    throw new UsersApiError(
      "invalid_response",
      "Roster's server sent a list it could not read.",
      res.status,
    );
  }
  return page;
}

/** `usersPageSchema` (lib/users/schema.ts) as far as the dashboard relies on it, without zod. */
function isUsersPage(page: unknown): page is UsersPage {
  return (
    isRecord(page) &&
    isProviderId(page.provider) &&
    Array.isArray(page.data) &&
    page.data.every(isUser) &&
    isNullableString(page.nextCursor) &&
    (page.total === null || isCount(page.total)) &&
    isRecord(page.filteredBy) &&
    Array.isArray(page.filteredBy.vendor) &&
    Array.isArray(page.filteredBy.roster) &&
    (page.asOf === undefined || typeof page.asOf === "string")
  );
}

function isUser(user: unknown): boolean {
  return (
    isRecord(user) &&
    typeof user.id === "string" &&
    isProviderId(user.provider) &&
    isUserStatus(user.status) &&
    ["email", "name", "role", "createdAt", "lastActiveAt"].every((key) =>
      isNullableString(user[key]),
    ) &&
    (user.groups === null || Array.isArray(user.groups)) &&
    isRecord(user.vendor)
  );
}
