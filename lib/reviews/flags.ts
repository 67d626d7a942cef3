import "server-only";

import { serverEnv } from "@/lib/server-env";
import type { ProviderId } from "@/lib/users/schema";

import type { AccountFlag } from "./schema";

/** An enabled account with no activity for this many days is `dormant` (the People view's setting). */
export function dormantDays(): number {
  return serverEnv().DORMANT_DAYS;
}

/**
 * The vendor record's keys that `accountFlags` reads: a review reads only
 * these of each record (the rest, most of a row's bytes, stays in the
 * database), so the flags must not read any other.
 */
export const FLAG_VENDOR_KEYS = [
  "record_type",
  "organization_user_bypasses_sso",
  "is_service_account",
] as const;

export interface FlaggableAccount {
  provider: ProviderId | string;
  status: string;
  role: string | null;
  createdAt: Date | null;
  lastActiveAt: Date | null;
  vendor: Readonly<Partial<Record<(typeof FLAG_VENDOR_KEYS)[number], unknown>>>;
}

/**
 * The account-level flags a review records at freeze time (the People module
 * may later replace this with its own):
 * - `privileged`: a Telnyx organization owner, an OpenAI `owner`;
 * - `sso_bypass`: Telnyx `organization_user_bypasses_sso`;
 * - `dormant`: enabled, and its last activity (or, never active, its
 *   creation) more than `DORMANT_DAYS` before `now`; enabled with neither date;
 * - `service_account`: OpenAI `is_service_account`.
 */
export function accountFlags(account: FlaggableAccount, now: Date): AccountFlag[] {
  const flags: AccountFlag[] = [];
  const vendor = account.vendor;
  const privileged =
    account.provider === "telnyx"
      ? vendor.record_type === "organization_owner" || account.role === "owner"
      : account.role === "owner";
  if (privileged) flags.push("privileged");
  if (account.provider === "telnyx" && vendor.organization_user_bypasses_sso === true) {
    flags.push("sso_bypass");
  }
  if (account.status === "enabled") {
    const last = account.lastActiveAt ?? account.createdAt;
    if (!last || now.getTime() - last.getTime() > dormantDays() * 86_400_000) flags.push("dormant");
  }
  if (account.provider === "openai" && vendor.is_service_account === true) {
    flags.push("service_account");
  }
  return flags;
}
