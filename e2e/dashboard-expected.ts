/**
 * What the dashboard should list, computed from the sandbox's own data
 * (sandbox/data.ts) independently of Roster's code: the vendor order, the
 * status mapping and the case-insensitive email substring match.
 */
import { generateData, type OpenAIUser, type SandboxData, type TelnyxUser } from "../sandbox/data";
import type { ProviderId, UserStatus } from "../lib/users/schema";

import { SANDBOX_SIZES } from "./env";

let cached: SandboxData | undefined;

export function sandboxData(): SandboxData {
  cached ??= generateData(SANDBOX_SIZES);
  return cached;
}

function openaiStatus(u: OpenAIUser): UserStatus {
  if (u.user?.banned) return "blocked";
  if (u.user?.enabled === false) return "disabled";
  return "enabled";
}

export interface ExpectedFilters {
  status?: UserStatus;
  email?: string;
}

/** Ids the list should show for these filters, in vendor order. */
export function expectedIds(provider: ProviderId, filters: ExpectedFilters = {}): string[] {
  const email = filters.email?.toLowerCase();
  const data = sandboxData();
  if (provider === "telnyx") {
    return data.telnyx
      .filter((u: TelnyxUser) => !filters.status || u.user_status === filters.status)
      .filter((u) => email === undefined || u.email.toLowerCase().includes(email))
      .map((u) => u.id);
  }
  return data.openai
    .filter((u) => !filters.status || openaiStatus(u) === filters.status)
    .filter(
      (u) => email === undefined || (u.email ?? u.user?.email ?? "").toLowerCase().includes(email),
    )
    .map((u) => u.id);
}

/** Group (Telnyx) or project (OpenAI) names of one user, as the sandbox holds them. */
export function expectedGroupNames(provider: ProviderId, id: string): string[] {
  const data = sandboxData();
  if (provider === "telnyx")
    return data.telnyx.find((u) => u.id === id)?.groups.map((g) => g.name) ?? [];
  return data.openai.find((u) => u.id === id)?.projects?.data.map((p) => p.name) ?? [];
}
