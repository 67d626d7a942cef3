/**
 * The one oracle of what a list must hold, computed straight from the
 * sandbox's data and written independently of Roster's adapters: the vendor
 * order, the README's status mapping, and the case-insensitive email
 * substring match. Unit tests and the e2e specs both use it (relative imports
 * only, so Playwright loads it as it is).
 */
import type { UserStatus, UsersFilters } from "../lib/users/schema";
import type { OpenAIUser, SandboxData, TelnyxUser } from "../sandbox/data";

export type ExpectedFilters = Omit<UsersFilters, "groups">;

function emailMatches(email: string | null | undefined, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  return typeof email === "string" && email.toLowerCase().includes(filter.toLowerCase());
}

/** The README's mapping, written out again on purpose: the test must not reuse the adapter's. */
export function openaiStatus(user: OpenAIUser): UserStatus {
  return user.user?.banned === true
    ? "blocked"
    : user.user?.enabled === false
      ? "disabled"
      : "enabled";
}

/** The ids Telnyx must list for `filters`, in vendor order. */
export function expectedTelnyx(users: readonly TelnyxUser[], filters: ExpectedFilters): string[] {
  return users
    .filter(
      (u) =>
        (!filters.status || u.user_status === filters.status) &&
        emailMatches(u.email, filters.email),
    )
    .map((u) => u.id);
}

/** The ids OpenAI must list for `filters` (Roster filtering), in vendor order. */
export function expectedOpenAI(users: readonly OpenAIUser[], filters: ExpectedFilters): string[] {
  return users
    .filter(
      (u) =>
        (!filters.status || openaiStatus(u) === filters.status) &&
        emailMatches(u.email ?? u.user?.email, filters.email),
    )
    .map((u) => u.id);
}

/** The ids a vendor's list must show for `filters`, in vendor order. */
export function expectedIds(
  data: SandboxData,
  provider: "telnyx" | "openai",
  filters: ExpectedFilters = {},
): string[] {
  return provider === "telnyx"
    ? expectedTelnyx(data.telnyx, filters)
    : expectedOpenAI(data.openai, filters);
}

/** Group (Telnyx) or project (OpenAI) names of one user, as the sandbox holds them. */
export function expectedGroupNames(
  data: SandboxData,
  provider: "telnyx" | "openai",
  id: string,
): string[] {
  if (provider === "telnyx")
    return data.telnyx.find((u) => u.id === id)?.groups.map((g) => g.name) ?? [];
  return data.openai.find((u) => u.id === id)?.projects?.data.map((p) => p.name) ?? [];
}
