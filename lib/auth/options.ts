import "server-only";

import { randomUUID } from "node:crypto";

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";

import { noteActivity } from "@/lib/activity/record";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import { serverEnv } from "@/lib/server-env";

import { parseAdmins, type PasswordHash } from "./admins.mjs";
import { AUTH_ERROR_PATH, SIGN_IN_PATH, safeCallbackUrl } from "./callback-url";
import { signInMethods } from "./config-check.mjs";
import { verifyAdminPassword } from "./password";
import { revocationStore } from "./revocation";
import { reportPasswordCheck } from "./password-check";
import { reportRevocationFailure } from "./sign-out-check";
import { secureCookies } from "./session";
import { type OidcDiscovery, tokenEndpointAuthMethod, wellKnownUrl } from "./oidc-discovery";
import { isAllowedSsoEmail, parseSsoAllowlist } from "./sso-allowlist";
import { authSecret } from "./secret";

import { CREDENTIALS_PROVIDER_ID, OIDC_PROVIDER_ID } from "./provider-ids";

export { CREDENTIALS_PROVIDER_ID, OIDC_PROVIDER_ID };

/** Longer inputs are refused before hashing: no one types a kilobyte password. */
const MAX_PASSWORD_LENGTH = 1024;

interface OidcProfile {
  sub: string;
  iss?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

function credentialsProvider(admins: ReadonlyMap<string, PasswordHash>) {
  return CredentialsProvider({
    id: CREDENTIALS_PROVIDER_ID,
    name: "Email and password",
    credentials: {
      email: { label: "Email", type: "email" },
      password: { label: "Password", type: "password" },
    },
    async authorize(credentials) {
      const email = credentials?.email?.trim().toLowerCase() ?? "";
      const password = credentials?.password ?? "";
      if (email === "" || password === "" || password.length > MAX_PASSWORD_LENGTH) {
        reportPasswordCheck({ email, ok: false });
        return null;
      }
      const ok = await verifyAdminPassword(password, admins.get(email));
      reportPasswordCheck({ email, ok });
      return ok ? { id: email, email, name: null } : null;
    },
  });
}

/**
 * Whether an ID token's `iss` is the configured OIDC_ISSUER. openid-client checks
 * the token against the issuer the discovery document names, and nothing
 * checks that one against the configuration (OpenID Connect Discovery 4.3):
 * this does. A trailing `/` is ignored, since providers and operators write it
 * either way.
 */
function isConfiguredIssuer(iss: unknown, configured: string | undefined): boolean {
  const bare = (value: string) => value.replace(/\/+$/, "");
  return typeof iss === "string" && configured !== undefined && bare(iss) === bare(configured);
}

const OIDC_SCOPE = "openid email profile";

function oidcProvider(
  issuer: string,
  clientId: string,
  clientSecret: string,
): OAuthConfig<OidcProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: "Single sign-on",
    type: "oauth",
    wellKnown: wellKnownUrl(issuer),
    clientId,
    clientSecret,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: OIDC_SCOPE } },
    profile(profile) {
      return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
    },
  };
}

/**
 * The provider with what discovery found, so that next-auth does not fetch it
 * again: given an issuer and endpoints instead of `wellKnown`, it builds
 * openid-client's issuer from them (next-auth/core/lib/oauth/client.js). What
 * else openid-client took from the document goes in too: the client
 * authentication it would have chosen.
 */
function withDiscovery(
  provider: OAuthConfig<OidcProfile>,
  document: OidcDiscovery,
): OAuthConfig<OidcProfile> {
  return {
    ...provider,
    wellKnown: undefined,
    issuer: document.issuer,
    authorization: { url: document.authorization_endpoint, params: { scope: OIDC_SCOPE } },
    token: { url: document.token_endpoint },
    ...(document.userinfo_endpoint ? { userinfo: { url: document.userinfo_endpoint } } : {}),
    jwks_endpoint: document.jwks_uri,
    client: { token_endpoint_auth_method: tokenEndpointAuthMethod(document) },
  };
}

function buildAuthOptions(): NextAuthOptions {
  const env = serverEnv();
  const methods = signInMethods(env);
  const admins = new Map(parseAdmins(env.ROSTER_ADMINS).map((admin) => [admin.email, admin.hash]));
  const allowlist = parseSsoAllowlist(env.OIDC_ALLOWED_EMAILS, env.OIDC_ALLOWED_DOMAINS);
  const providers: NextAuthOptions["providers"] = [];
  if (methods.credentials) providers.push(credentialsProvider(admins));
  if (methods.oidc && env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push(oidcProvider(env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET));
  }

  return {
    providers,
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE },
    jwt: { maxAge: env.SESSION_MAX_AGE },
    // next-auth's cookies are HttpOnly and SameSite=Lax already; Secure follows the scheme.
    useSecureCookies: secureCookies(),
    pages: { signIn: SIGN_IN_PATH, error: AUTH_ERROR_PATH },
    events: {
      async signIn({ user, account }) {
        const method = account?.provider === OIDC_PROVIDER_ID ? "oidc" : "credentials";
        await noteActivity({
          kind: "auth.sign_in",
          admin: user.email?.toLowerCase() ?? null,
          details: { method, outcome: "success" },
        });
      },
      async signOut({ token }) {
        const sid = token?.sid;
        const authTime = token?.auth_time;
        if (typeof sid === "string" && typeof authTime === "number") {
          try {
            await revocationStore().revoke(sid, new Date((authTime + env.SESSION_MAX_AGE) * 1000));
          } catch (error) {
            // next-auth would swallow it and clear the cookie: the route answers an error instead.
            const unreachable = databaseUnavailableReason(error);
            const why = unreachable
              ? `database_unavailable (${unreachable})`
              : error instanceof Error
                ? error.name
                : "error";
            console.error(`[roster] sign-out: the session was not revoked (${why})`);
            reportRevocationFailure(error);
            return;
          }
        }
        await noteActivity({
          kind: "auth.sign_out",
          admin: typeof token?.email === "string" ? token.email : null,
          details: {},
        });
      },
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider === CREDENTIALS_PROVIDER_ID) return true;
        if (account?.provider !== OIDC_PROVIDER_ID) return false;
        const oidc = profile as OidcProfile | undefined;
        // An address the identity provider has not verified proves nothing about who signed in:
        // only an explicit `true` passes, unless the operator chose otherwise.
        const refuse = async (reason: string) => {
          await noteActivity({
            kind: "auth.sign_in",
            admin: typeof oidc?.email === "string" ? oidc.email.toLowerCase().slice(0, 320) : null,
            details: { method: "oidc", outcome: "failure", reason },
          });
          return false;
        };
        if (!isConfiguredIssuer(oidc?.iss, env.OIDC_ISSUER)) return refuse("wrong_issuer");
        if (oidc?.email_verified !== true && env.OIDC_TRUST_UNVERIFIED_EMAIL !== "true") {
          return refuse("email_unverified");
        }
        return isAllowedSsoEmail(oidc?.email, allowlist) || refuse("not_allowed");
      },
      jwt({ token, user, account }) {
        if (!user) return token;
        return {
          sub: token.sub,
          email: user.email?.toLowerCase() ?? null,
          name: user.name ?? null,
          // The sign-in time bounds the session's life however often it is renewed;
          // the id lets a sign-out revoke this session on every instance.
          auth_time: Math.floor(Date.now() / 1000),
          sid: randomUUID(),
          method: account?.provider ?? null,
        };
      },
      session({ session, token }) {
        return {
          expires: session.expires,
          user: { email: token.email ?? null, name: token.name ?? null },
        };
      },
      redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
        return `${baseUrl}${path === SIGN_IN_PATH ? SIGN_IN_PATH : safeCallbackUrl(path)}`;
      },
    },
  };
}

let cached: NextAuthOptions | undefined;

/**
 * next-auth's options, built on first use rather than at import so that
 * `next build` (which imports route modules) needs no secrets. With the SSO
 * provider's `discovery` (oidc-discovery.ts), its provider carries the
 * endpoints instead of having them discovered again.
 */
export function authOptions(discovery?: OidcDiscovery): NextAuthOptions {
  cached ??= buildAuthOptions();
  if (!discovery) return cached;
  return {
    ...cached,
    providers: cached.providers.map((provider) =>
      provider.id === OIDC_PROVIDER_ID
        ? withDiscovery(provider as OAuthConfig<OidcProfile>, discovery)
        : provider,
    ),
  };
}
