import type { User } from "./schema";

/**
 * Values the columns read from the vendor's own record (`user.vendor`), which
 * Roster's normalized user does not carry. Each returns `null` when the vendor
 * sent nothing usable, so a cell can show a dash instead of guessing.
 */

function field(user: User, key: string): unknown {
  return user.vendor[key];
}

/** Telnyx `record_type`: the organization's owner or one of its members. */
export function telnyxRole(user: User): "Owner" | "Member" | null {
  const type = field(user, "record_type");
  if (type === "organization_owner") return "Owner";
  if (type === "organization_sub_user") return "Member";
  return null;
}

/** Telnyx `organization_user_bypasses_sso`. */
export function telnyxSsoBypass(user: User): boolean | null {
  const value = field(user, "organization_user_bypasses_sso");
  return typeof value === "boolean" ? value : null;
}

export type OpenAIAccountKind = "Service account" | "SCIM-managed" | "User";

/** OpenAI's flags, most specific first: a service account may also be SCIM-managed. */
export function openaiAccountKind(user: User): OpenAIAccountKind {
  if (field(user, "is_service_account") === true) return "Service account";
  if (field(user, "is_scim_managed") === true) return "SCIM-managed";
  return "User";
}
