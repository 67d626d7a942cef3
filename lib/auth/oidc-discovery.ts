import "server-only";

import { z } from "zod";

/**
 * How long a discovery document is reused. Given `wellKnown`, next-auth has
 * openid-client fetch it on every sign-in and every callback, so a slow
 * provider made each of them slow, and a blip failed them. Providers change
 * their endpoints rarely and announce it; ten minutes bounds how long a change
 * goes unseen.
 */
export const DISCOVERY_TTL_MS = 10 * 60_000;

/** As long as openid-client waits for it (its default `timeout`). */
const DISCOVERY_TIMEOUT_MS = 3_500;

/** What Roster passes on to next-auth, and what decides whether it may (`canSkipDiscovery`). */
const discoverySchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
});

export type OidcDiscovery = z.infer<typeof discoverySchema>;

/** Where the provider's discovery document is (OpenID Connect Discovery 4.1). */
export function wellKnownUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

let cached: { url: string; document: OidcDiscovery; until: number } | undefined;
let pending: { url: string; promise: Promise<OidcDiscovery | null> } | undefined;

/**
 * `issuer`'s discovery document, fetched at most once per `DISCOVERY_TTL_MS`
 * in this process (concurrent sign-ins share one fetch). Null when it cannot
 * be read: that is not kept, so the next sign-in asks again.
 */
export async function discoverOidc(issuer: string): Promise<OidcDiscovery | null> {
  const url = wellKnownUrl(issuer);
  if (cached?.url === url && Date.now() < cached.until) return cached.document;
  if (pending?.url !== url) {
    const promise = fetchDiscovery(url).finally(() => {
      if (pending?.promise === promise) pending = undefined;
    });
    pending = { url, promise };
  }
  return pending.promise;
}

async function fetchDiscovery(url: string): Promise<OidcDiscovery | null> {
  try {
    // As openid-client asks for it: no redirects, a 200 with JSON.
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    const document = discoverySchema.parse(await response.json());
    cached = { url, document, until: Date.now() + DISCOVERY_TTL_MS };
    return document;
  } catch (error) {
    const why = error instanceof z.ZodError ? "not a usable discovery document" : String(error);
    console.warn(`[roster] OIDC discovery at ${url} failed (${why}): next-auth discovers itself`);
    return null;
  }
}

/**
 * Whether next-auth, given `document`'s endpoints instead of `wellKnown`,
 * handles this request as openid-client would after discovering: it then
 * knows only the issuer and the endpoints. Not when the provider promises
 * RFC 9207's `iss` in its answers and this callback (`callback`: its
 * parameters) has none, which openid-client refuses only when it knows of the
 * promise; nor for a multi-tenant Entra ID document (`{tenantid}` in its
 * issuer), whose tokens openid-client checks against the tenant only after
 * discovering it.
 */
export function canSkipDiscovery(
  document: OidcDiscovery,
  callback: URLSearchParams | null,
): boolean {
  if (document.issuer.includes("{tenantid}")) return false;
  if (callback && document.authorization_response_iss_parameter_supported === true) {
    return ["iss", "id_token", "response"].some((name) => callback.has(name));
  }
  return true;
}

/**
 * The client authentication openid-client picks from the document: Basic,
 * unless the provider lists methods without it but with client_secret_post.
 */
export function tokenEndpointAuthMethod(
  document: OidcDiscovery,
): "client_secret_basic" | "client_secret_post" {
  const supported = document.token_endpoint_auth_methods_supported;
  return supported &&
    !supported.includes("client_secret_basic") &&
    supported.includes("client_secret_post")
    ? "client_secret_post"
    : "client_secret_basic";
}
