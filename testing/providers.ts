/**
 * Test support for code that calls the vendors: points Roster's env at an
 * in-process sandbox and computes, straight from the sandbox's data, which
 * users a filter must return (independently of the adapters' own code).
 */
import { resetEnvCache } from "@/lib/env.mjs";
import type { UserStatus, UsersFilters } from "@/lib/users/schema";
import { DEFAULTS, type OpenAIUser, type TelnyxUser } from "@/sandbox/data";
import type { Sandbox } from "@/sandbox/server";

export const TELNYX_KEY: string = DEFAULTS.telnyxKey;
export const OPENAI_KEY: string = DEFAULTS.openaiKey;

/** Sets the vendor env for `sandbox` (plus `overrides`; undefined unsets) and drops the cached env. */
export function pointEnvAt(
  sandbox: Pick<Sandbox, "url">,
  overrides: Record<string, string | undefined> = {},
): void {
  const values: Record<string, string | undefined> = {
    TELNYX_API_KEY: TELNYX_KEY,
    TELNYX_BASE_URL: `${sandbox.url}/v2`,
    OPENAI_ADMIN_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${sandbox.url}/v1`,
    UPSTREAM_TIMEOUT_MS: "5000",
    UPSTREAM_MAX_RETRIES: "2",
    UPSTREAM_MAX_RETRY_WAIT_MS: "2000",
    ...overrides,
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}

function emailMatches(email: string | null | undefined, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  return typeof email === "string" && email.toLowerCase().includes(filter.toLowerCase());
}

/** The ids Telnyx must list for `filters`, in vendor order. */
export function expectedTelnyx(
  users: readonly TelnyxUser[],
  filters: Omit<UsersFilters, "groups">,
): string[] {
  return users
    .filter(
      (u) =>
        (!filters.status || u.user_status === filters.status) &&
        emailMatches(u.email, filters.email),
    )
    .map((u) => u.id);
}

/** The README's mapping, written out again on purpose: the test must not reuse the adapter's. */
export function openaiStatus(user: OpenAIUser): UserStatus {
  return user.user?.banned === true
    ? "blocked"
    : user.user?.enabled === false
      ? "disabled"
      : "enabled";
}

/** The ids OpenAI must list for `filters` (Roster filtering), in vendor order. */
export function expectedOpenAI(
  users: readonly OpenAIUser[],
  filters: Omit<UsersFilters, "groups">,
): string[] {
  return users
    .filter(
      (u) =>
        (!filters.status || openaiStatus(u) === filters.status) &&
        emailMatches(u.email ?? u.user?.email, filters.email),
    )
    .map((u) => u.id);
}
