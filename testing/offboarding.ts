/**
 * Test support: what the offboarding check must answer, computed straight
 * from the sandbox's data (not with the check's own matching code). Relative
 * imports: the e2e specs use it too.
 */
import type { Account } from "../lib/offboarding/schema";
import type { SandboxData } from "../sandbox/data";

import { openaiStatus } from "./expected";

const TELNYX_ROLES: Record<string, string> = {
  organization_owner: "owner",
  organization_sub_user: "member",
};

export function expectedAccounts(
  data: SandboxData,
  email: string,
): { telnyx: Account | null; openai: Account | null } {
  const key = email.toLowerCase();
  const t = data.telnyx.find((u) => u.email.toLowerCase() === key);
  const o = data.openai.find((u) => u.email?.toLowerCase() === key);
  return {
    telnyx: t
      ? {
          status: t.user_status,
          role: TELNYX_ROLES[t.record_type] ?? t.record_type,
          id: t.id,
          lastActiveAt: t.last_sign_in_at ? new Date(t.last_sign_in_at).toISOString() : null,
        }
      : null,
    openai: o
      ? {
          status: openaiStatus(o),
          role: o.role ?? null,
          id: o.id,
          lastActiveAt:
            o.api_key_last_used_at == null
              ? null
              : new Date(o.api_key_last_used_at * 1000).toISOString(),
        }
      : null,
  };
}

/**
 * An address Telnyx's partial `filter[email]` matches (it is part of another
 * user's address) but that no user has: `iam.white@x` inside `william.white@x`.
 */
export function partialMatchTrap(data: SandboxData): { trap: string; matches: string[] } {
  const all = data.telnyx.map((u) => u.email.toLowerCase());
  const known = new Set(all);
  for (const email of all) {
    for (let i = 1; i < email.indexOf("@"); i++) {
      const trap = email.slice(i);
      if (!known.has(trap)) return { trap, matches: all.filter((e) => e.includes(trap)) };
    }
  }
  throw new Error("the sandbox data holds no partial-match trap");
}

/** An address present in both vendors, with letters to change the case of. */
export function addressInBoth(data: SandboxData): string {
  const openai = new Set(data.openai.flatMap((u) => (u.email ? [u.email.toLowerCase()] : [])));
  const found = data.telnyx.find((u) => openai.has(u.email.toLowerCase()) && /[a-z]/.test(u.email));
  if (!found) throw new Error("the sandbox data holds no address in both vendors");
  return found.email;
}
