/**
 * Deterministic, vendor-shaped users for the sandbox. The same seed and counts
 * always give the same records in the same (vendor) order. The first records
 * after the owner are the hard cases, so even a sandbox of ~40 users per vendor
 * holds every one of them.
 */

import { generateOpenAI } from "./openai/data";
import { generateTelnyx } from "./telnyx/data";
import { createRng } from "./random";

export const DEFAULTS = {
  seed: 42,
  telnyxUsers: 2500,
  openaiUsers: 1500,
  telnyxKey: "KEY_sandbox_telnyx",
  openaiKey: "sk-admin-sandbox-openai",
  adminToken: "sandbox-admin",
} as const;

/** Upper bound on users per vendor, to keep a typo from eating the machine's memory. */
export const MAX_USERS = 1_000_000;

export type TelnyxUserStatus = "enabled" | "disabled" | "blocked";
export const TELNYX_USER_STATUSES: readonly TelnyxUserStatus[] = ["enabled", "disabled", "blocked"];

export interface TelnyxGroup {
  id: string;
  name: string;
}

/** A Telnyx organization user; `groups` is always present here, the server strips it unless asked. */
export interface TelnyxUser {
  id: string;
  record_type: "organization_owner" | "organization_sub_user";
  email: string;
  user_status: TelnyxUserStatus;
  organization_user_bypasses_sso: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  groups: TelnyxGroup[];
}

export interface OpenAIProjectRef {
  id: string;
  name: string;
  role: string;
}

export interface OpenAINestedUser {
  object: "user";
  id: string;
  email?: string | null;
  name?: string | null;
  picture?: string | null;
  enabled?: boolean | null;
  banned?: boolean | null;
  banned_at?: number | null;
}

/** An OpenAI organization user. Optional keys are really absent on some records. */
export interface OpenAIUser {
  object: "organization.user";
  id: string;
  name?: string | null;
  email?: string | null;
  role?: string | null;
  added_at: number;
  created?: number;
  api_key_last_used_at?: number | null;
  developer_persona?: string | null;
  technical_level?: string | null;
  is_default?: boolean;
  is_scim_managed?: boolean;
  is_service_account?: boolean;
  is_scale_tier_authorized_purchaser?: boolean | null;
  projects?: { object: "list"; data: OpenAIProjectRef[] } | null;
  user?: OpenAINestedUser;
}

export interface SandboxData {
  telnyx: TelnyxUser[];
  openai: OpenAIUser[];
}

export interface GenerateOptions {
  seed: number;
  telnyxUsers: number;
  openaiUsers: number;
}

export function generateData(opts: GenerateOptions): SandboxData {
  for (const key of ["telnyxUsers", "openaiUsers"] as const) {
    const n = opts[key];
    if (!Number.isInteger(n) || n < 0 || n > MAX_USERS) {
      throw new RangeError(`${key} must be an integer from 0 to ${MAX_USERS}, got ${n}`);
    }
  }
  if (!Number.isInteger(opts.seed))
    throw new RangeError(`seed must be an integer, got ${opts.seed}`);
  // Independent streams: changing one vendor's count leaves the other vendor's users alone.
  return {
    telnyx: generateTelnyx(createRng(opts.seed), opts.telnyxUsers),
    openai: generateOpenAI(createRng(opts.seed ^ 0x5bd1e995), opts.openaiUsers),
  };
}
