/**
 * Who may enter through single sign-on: an exact email on the list, or an
 * email whose domain is on the list. Domains match exactly (`example.com`
 * admits `ana@example.com`, not `ana@eu.example.com`), so a subdomain someone
 * else controls cannot slip in. Everything compares case-insensitively.
 */
export interface SsoAllowlist {
  emails: ReadonlySet<string>;
  domains: ReadonlySet<string>;
}

function list(value: string | undefined, strip: RegExp): Set<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((item) => item.trim().toLowerCase().replace(strip, ""))
      .filter((item) => item !== ""),
  );
}

export function parseSsoAllowlist(
  emails: string | undefined,
  domains: string | undefined,
): SsoAllowlist {
  return { emails: list(emails, /^$/), domains: list(domains, /^@/) };
}

export function isAllowedSsoEmail(email: unknown, allowlist: SsoAllowlist): boolean {
  if (typeof email !== "string") return false;
  const normalized = email.trim().toLowerCase();
  const at = normalized.lastIndexOf("@");
  if (at <= 0 || at === normalized.length - 1) return false;
  return allowlist.emails.has(normalized) || allowlist.domains.has(normalized.slice(at + 1));
}
