/**
 * Where to go after signing in. Only paths on Roster's own origin are
 * accepted, so a crafted link cannot bounce an admin to another site after
 * sign-in (open redirect). Client-safe: the sign-in form uses it too.
 */

export const SIGN_IN_PATH = "/signin";
/** Where next-auth sends refused sign-ins (SSO accounts off the allowlist, configuration errors). */
export const AUTH_ERROR_PATH = "/auth-error";
const DEFAULT_DESTINATION = "/";
const API_PATH = "/api";
const PROBE_ORIGIN = "http://roster.invalid";

/**
 * `value` as a same-origin path (with its query and fragment), or "/" when it
 * is missing, absolute, protocol-relative (`//host`), uses a backslash (which
 * browsers read as `/`), holds control characters, or leads back to sign-in
 * or into the API.
 */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048)
    return DEFAULT_DESTINATION;
  // Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\evil.com` and `/\t/evil.com` mean `//evil.com`.
  if (!value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(value)) {
    return DEFAULT_DESTINATION;
  }
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return DEFAULT_DESTINATION;
  }
  // Dot segments can collapse into `//host` (`/.//evil.com` resolves to `//evil.com`).
  if (url.origin !== PROBE_ORIGIN || url.pathname.startsWith("//")) return DEFAULT_DESTINATION;
  if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`))
    return DEFAULT_DESTINATION;
  // Pages only: after signing in, a link's `/api/...` would start a download (logged) in the admin's name.
  if (url.pathname === API_PATH || url.pathname.startsWith(`${API_PATH}/`)) {
    return DEFAULT_DESTINATION;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The sign-in page's `callbackUrl` as a path: `safeCallbackUrl`, except that an
 * absolute URL on `ownOrigin` (Roster's, from NEXTAUTH_URL) counts as its path.
 * next-auth keeps the destination absolute and sends a failed single sign-on
 * back to sign-in with it; without this, trying again landed on "/".
 */
export function signInCallbackUrl(value: unknown, ownOrigin: string | undefined): string {
  if (typeof value !== "string" || value.startsWith("/") || !ownOrigin) {
    return safeCallbackUrl(value);
  }
  try {
    const url = new URL(value);
    if (url.origin !== new URL(ownOrigin).origin) return DEFAULT_DESTINATION;
    return safeCallbackUrl(`${url.pathname}${url.search}${url.hash}`);
  } catch {
    return DEFAULT_DESTINATION;
  }
}

/** The sign-in page, coming back to `returnTo` afterwards. */
export function signInPath(returnTo: string): string {
  const destination = safeCallbackUrl(returnTo);
  if (destination === DEFAULT_DESTINATION) return SIGN_IN_PATH;
  return `${SIGN_IN_PATH}?${new URLSearchParams({ callbackUrl: destination })}`;
}

/** A page's `searchParams` as Next.js hands them to it. */
export type PageSearchParams = Record<string, string | string[] | undefined>;

/** `pathname` with the page's query, every value of a repeated key in order: where sign-in should come back to. */
export function pathWithQuery(pathname: string, searchParams: PageSearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(key, v);
  }
  return query.size > 0 ? `${pathname}?${query.toString()}` : pathname;
}
