import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ActivityInput } from "@/lib/activity/log";
import type { ActivityKind } from "@/lib/activity/contract";
import { resetEnvCache } from "@/lib/env.mjs";

import { hashPassword } from "./password";

const ADMIN = "ana@example.com";
const PASSWORD = "ana-password-123";
const adminsValue = `${ADMIN.toUpperCase()}=${await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 })}`;

/** What the options recorded in the activity log, since the test began. */
const recorded: ActivityInput<ActivityKind>[] = [];

async function loadOptions(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetEnvCache();
  // authOptions() is built once per module instance.
  vi.resetModules();
  // The new instances' activity comes here: testing/setup.ts set only the first ones' writer, and the
  // log's own writer would open the default database (`.roster/` in the working directory).
  const { setActivityWriter } = await import("@/lib/activity/record");
  setActivityWriter(async <K extends ActivityKind>(input: ActivityInput<K>) => {
    recorded.push(input as ActivityInput<ActivityKind>);
    return null;
  });
  const { authOptions } = await import("./options");
  return authOptions();
}

const OIDC = {
  OIDC_ISSUER: "https://id.example.com/",
  OIDC_CLIENT_ID: "roster",
  OIDC_CLIENT_SECRET: "shh",
  OIDC_ALLOWED_EMAILS: "partner@other.io",
  OIDC_ALLOWED_DOMAINS: "example.com",
};

beforeEach(() => {
  for (const name of ["ROSTER_ADMINS", ...Object.keys(OIDC)]) vi.stubEnv(name, "");
  recorded.length = 0;
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

type Authorize = (credentials: Record<string, string>, req: object) => Promise<unknown>;

describe("credentials sign-in", () => {
  async function authorize(credentials: Record<string, string>) {
    const options = await loadOptions({ ROSTER_ADMINS: adminsValue });
    const provider = options.providers.find((p) => p.id === "credentials") as {
      options: { authorize: Authorize };
    };
    return provider.options.authorize(credentials, {});
  }

  it("admits a configured admin with the right password, whatever the email's case", async () => {
    expect(await authorize({ email: " Ana@Example.com ", password: PASSWORD })).toEqual({
      id: ADMIN,
      email: ADMIN,
      name: null,
    });
  });

  it.each([
    { email: ADMIN, password: "wrong" },
    { email: "bob@example.com", password: PASSWORD },
    { email: ADMIN, password: "" },
    { email: "", password: PASSWORD },
    { email: ADMIN, password: "x".repeat(2000) },
  ])("refuses %j", async (credentials) => {
    expect(await authorize(credentials)).toBeNull();
  });

  it("is the only provider when single sign-on is not configured", async () => {
    const options = await loadOptions({ ROSTER_ADMINS: adminsValue });
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
  });

  it("does not exist without ROSTER_ADMINS: there are no built-in credentials", async () => {
    const options = await loadOptions({ ...OIDC });
    expect(options.providers.map((p) => p.id)).toEqual(["oidc"]);
  });
});

describe("single sign-on", () => {
  it("discovers the issuer and checks PKCE and state", async () => {
    const options = await loadOptions({ ...OIDC });
    expect(options.providers[0]).toMatchObject({
      id: "oidc",
      type: "oauth",
      wellKnown: "https://id.example.com/.well-known/openid-configuration",
      idToken: true,
      checks: ["pkce", "state"],
      clientId: "roster",
    });
  });

  it("given the discovery document, names its endpoints instead, so that next-auth does not fetch it", async () => {
    await loadOptions({ ...OIDC, ROSTER_ADMINS: adminsValue });
    const { authOptions } = await import("./options");
    const document = {
      issuer: "https://id.example.com",
      authorization_endpoint: "https://id.example.com/oauth2/authorize",
      token_endpoint: "https://id.example.com/oauth2/token",
      userinfo_endpoint: "https://id.example.com/oauth2/userinfo",
      jwks_uri: "https://id.example.com/oauth2/keys",
      token_endpoint_auth_methods_supported: ["client_secret_post"],
    };
    const options = authOptions(document);
    const oidc = options.providers.find((p) => p.id === "oidc");
    // next-auth/core/lib/oauth/client.js discovers only when `wellKnown` is set.
    expect(oidc).not.toHaveProperty("wellKnown", expect.anything());
    expect(oidc).toMatchObject({
      issuer: "https://id.example.com",
      authorization: {
        url: "https://id.example.com/oauth2/authorize",
        params: { scope: "openid email profile" },
      },
      token: { url: "https://id.example.com/oauth2/token" },
      userinfo: { url: "https://id.example.com/oauth2/userinfo" },
      jwks_endpoint: "https://id.example.com/oauth2/keys",
      client: { token_endpoint_auth_method: "client_secret_post" },
      idToken: true,
      checks: ["pkce", "state"],
      clientId: "roster",
      clientSecret: "shh",
    });
    // The rest is the same options: the password sign-in, the callbacks (the issuer check among them).
    expect(options.providers.find((p) => p.id === "credentials")).toBe(
      authOptions().providers.find((p) => p.id === "credentials"),
    );
    expect(options.callbacks).toBe(authOptions().callbacks);
    expect(authOptions().providers.find((p) => p.id === "oidc")).toHaveProperty(
      "wellKnown",
      "https://id.example.com/.well-known/openid-configuration",
    );
  });

  /** The signIn callback for an OIDC sign-in whose ID token holds `claims` (from the issuer unless they say otherwise). */
  async function oidcSignIn(env: Record<string, string> = {}) {
    const { callbacks } = await loadOptions({ ...OIDC, ...env });
    return (claims: object) =>
      callbacks?.signIn?.({
        user: { id: "sub" },
        account: { provider: "oidc", type: "oauth", providerAccountId: "sub" },
        profile: { iss: "https://id.example.com", ...claims } as never,
      });
  }

  it("admits only allowlisted, verified emails", async () => {
    const signIn = await oidcSignIn();
    expect(await signIn({ email: "Bea@Example.com", email_verified: true })).toBe(true);
    expect(await signIn({ email: "partner@other.io", email_verified: true })).toBe(true);
    expect(await signIn({ email: "eve@other.io", email_verified: true })).toBe(false);
    expect(await signIn({ email: "bea@example.com", email_verified: false })).toBe(false);
    // Only an explicit `true` counts: a provider that says nothing proves nothing.
    expect(await signIn({ email: "partner@other.io" })).toBe(false);
    expect(await signIn({ email: "bea@example.com", email_verified: "true" })).toBe(false);
    expect(await signIn({})).toBe(false);
    // Each refusal is in the activity log with its reason; an admitted sign-in is logged later, once it succeeded.
    const refusal = (admin: string | null, reason: string) => ({
      kind: "auth.sign_in",
      admin,
      details: { method: "oidc", outcome: "failure", reason },
    });
    expect(recorded).toEqual([
      refusal("eve@other.io", "not_allowed"),
      refusal("bea@example.com", "email_unverified"),
      refusal("partner@other.io", "email_unverified"),
      refusal("bea@example.com", "email_unverified"),
      refusal(null, "email_unverified"),
    ]);
  });

  it("admits only ID tokens from the configured issuer, with or without a trailing slash", async () => {
    const admit = await oidcSignIn();
    const signIn = (iss: unknown) => admit({ iss, email: "bea@example.com", email_verified: true });
    expect(await signIn("https://id.example.com/")).toBe(true);
    expect(await signIn("https://id.example.com")).toBe(true);
    // A discovery document naming another issuer: openid-client took its tokens as valid.
    expect(await signIn("https://id.example.com.evil.io")).toBe(false);
    expect(await signIn("https://id.example.com/other-tenant")).toBe(false);
    expect(await signIn(undefined)).toBe(false);
  });

  it("lets unverified addresses in only when OIDC_TRUST_UNVERIFIED_EMAIL=true", async () => {
    const signIn = await oidcSignIn({ OIDC_TRUST_UNVERIFIED_EMAIL: "true" });
    expect(await signIn({ email: "partner@other.io" })).toBe(true);
  });
});

describe("callbacks", () => {
  it("keep redirects on Roster's origin", async () => {
    const { callbacks } = await loadOptions({ ROSTER_ADMINS: adminsValue });
    const baseUrl = "https://roster.example.com";
    const redirect = (url: string) => callbacks?.redirect?.({ url, baseUrl });
    expect(await redirect("/?provider=openai")).toBe(`${baseUrl}/?provider=openai`);
    expect(await redirect(`${baseUrl}/?provider=telnyx`)).toBe(`${baseUrl}/?provider=telnyx`);
    expect(await redirect("/signin")).toBe(`${baseUrl}/signin`);
    expect(await redirect("https://evil.example/")).toBe(`${baseUrl}/`);
    expect(await redirect("//evil.example/")).toBe(`${baseUrl}/`);
    expect(await redirect(`${baseUrl}.evil.example/`)).toBe(`${baseUrl}/`);
  });

  it("put only the subject, email, name, sign-in time, session id and method in the token", async () => {
    const { callbacks } = await loadOptions({ ROSTER_ADMINS: adminsValue });
    const before = Math.floor(Date.now() / 1000);
    const token = await callbacks?.jwt?.({
      token: { sub: "s1", email: "x", name: null, picture: "https://img" },
      user: { id: "s1", email: "Ana@Example.com", name: "Ana" },
      account: { provider: "credentials", type: "credentials", providerAccountId: "s1" },
    });
    expect(token).toEqual({
      sub: "s1",
      email: ADMIN,
      name: "Ana",
      auth_time: expect.any(Number),
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      method: "credentials",
    });
    expect((token as { auth_time: number }).auth_time).toBeGreaterThanOrEqual(before);
    // A renewal keeps the sign-in time: the lifetime is counted from sign-in.
    const renewed = await callbacks?.jwt?.({
      token: token!,
      user: undefined as never,
      account: null,
    });
    expect(renewed).toEqual(token);
  });

  it("use the configured session lifetime, 8 hours by default", async () => {
    expect((await loadOptions({ ROSTER_ADMINS: adminsValue })).session?.maxAge).toBe(8 * 3600);
    expect(
      (await loadOptions({ ROSTER_ADMINS: adminsValue, SESSION_MAX_AGE: "600" })).session?.maxAge,
    ).toBe(600);
  });
});
