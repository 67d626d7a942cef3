import "server-only";

import { serverEnv, type Env } from "@/lib/server-env";

import { parseAdmins } from "./admins.mjs";
import { signInMethods } from "./config-check.mjs";
import { CREDENTIALS_PROVIDER_ID, OIDC_PROVIDER_ID } from "./provider-ids";
import { isAllowedSsoEmail, parseSsoAllowlist, type SsoAllowlist } from "./sso-allowlist";

let cached: { env: Env; admins: Set<string>; allowlist: SsoAllowlist | null } | undefined;

function lists() {
  const env = serverEnv();
  if (cached?.env !== env) {
    cached = {
      env,
      admins: new Set(parseAdmins(env.ROSTER_ADMINS).map((admin) => admin.email)),
      allowlist: signInMethods(env).oidc
        ? parseSsoAllowlist(env.OIDC_ALLOWED_EMAILS, env.OIDC_ALLOWED_DOMAINS)
        : null,
    };
  }
  return cached;
}

/**
 * Whether `email` may still be signed in through `method`, by the lists in
 * force now (ROSTER_ADMINS for a password sign-in, the OIDC allowlist for
 * single sign-on). Checked on every session read.
 */
export function isAdmitted(email: string, method: string | undefined): boolean {
  const { admins, allowlist } = lists();
  const normalized = email.trim().toLowerCase();
  const byPassword = admins.has(normalized);
  const bySso = allowlist !== null && isAllowedSsoEmail(normalized, allowlist);
  if (method === CREDENTIALS_PROVIDER_ID) return byPassword;
  if (method === OIDC_PROVIDER_ID) return bySso;
  return byPassword || bySso;
}
