import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startMockOidcProvider, type MockOidcProvider } from "./mock-oidc-provider";

const CLIENT = { clientId: "roster", clientSecret: "s3cret/+:", redirectUri: "http://rp/cb" };
const ANA = { sub: "ana-1", email: "ana@example.com", email_verified: true, name: "Ana" };

let provider: MockOidcProvider;

beforeEach(async () => {
  provider = await startMockOidcProvider(CLIENT);
  provider.signInAs(ANA);
});

afterEach(async () => {
  await provider.close();
});

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The authorization request a client sends, and where the provider sends the browser back. */
async function authorize(params: Record<string, string> = {}, challenge = pkce().challenge) {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT.clientId,
    redirect_uri: CLIENT.redirectUri,
    scope: "openid email profile",
    state: "st4te",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...params,
  });
  const res = await fetch(`${provider.issuer}/authorize?${query}`, { redirect: "manual" });
  return { res, back: new URL(res.headers.get("location") ?? "http://none/") };
}

async function signedInCode(): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const { back } = await authorize({}, challenge);
  return { code: back.searchParams.get("code")!, verifier };
}

function basic(id: string, secret: string) {
  const encode = (part: string) => encodeURIComponent(part).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
}

async function redeem(
  form: Record<string, string>,
  authorization: string | null = basic(CLIENT.clientId, CLIENT.clientSecret),
) {
  const res = await fetch(`${provider.issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      redirect_uri: CLIENT.redirectUri,
      ...form,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("mock OpenID provider", () => {
  it("serves discovery and a JWKS whose key verifies the RS256 id_token it issues", async () => {
    const discovery = (await (
      await fetch(`${provider.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: provider.issuer,
      token_endpoint: `${provider.issuer}/token`,
      code_challenge_methods_supported: ["S256"],
    });
    const { keys } = (await (await fetch(`${provider.issuer}/jwks`)).json()) as {
      keys: (JsonWebKey & { kid: string })[];
    };

    const { res, back } = await authorize({ nonce: "n0nce" });
    expect(res.status).toBe(302);
    expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirectUri);
    expect(back.searchParams.get("state")).toBe("st4te");
    const code = back.searchParams.get("code")!;
    const { verifier } = pkce();
    // That code's challenge was another verifier's: refused, and the code is spent.
    expect((await redeem({ code, code_verifier: verifier })).body.error).toBe("invalid_grant");

    const fresh = await signedInCode();
    const { status, body } = await redeem({ code: fresh.code, code_verifier: fresh.verifier });
    expect(status).toBe(200);
    const [header, payload, signature] = String(body.id_token).split(".") as [
      string,
      string,
      string,
    ];
    const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as {
      kid: string;
      alg: string;
    };
    expect(alg).toBe("RS256");
    const key = createPublicKey({ key: keys.find((k) => k.kid === kid)!, format: "jwk" });
    expect(
      verify(
        "sha256",
        Buffer.from(`${header}.${payload}`),
        key,
        Buffer.from(signature, "base64url"),
      ),
    ).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ iss: provider.issuer, aud: "roster", ...ANA });
    expect(Number(claims.exp)).toBeGreaterThan(Number(claims.iat));

    const info = await fetch(`${provider.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${String(body.access_token)}` },
    });
    expect(await info.json()).toEqual(ANA);
    expect((await fetch(`${provider.issuer}/userinfo`)).status).toBe(401);
  });

  it("puts the nonce it was sent in the id_token, and accepts client_secret_post", async () => {
    const { verifier, challenge } = pkce();
    const { back } = await authorize({ nonce: "n0nce" }, challenge);
    const { status, body } = await redeem(
      {
        code: back.searchParams.get("code")!,
        code_verifier: verifier,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      },
      null,
    );
    expect(status).toBe(200);
    const payload = String(body.id_token).split(".")[1]!;
    expect(JSON.parse(Buffer.from(payload, "base64url").toString())).toMatchObject({
      nonce: "n0nce",
    });
    expect(provider.tokenRequests.at(-1)).toMatchObject({
      clientAuth: "client_secret_post",
      outcome: "issued",
    });
  });

  it("refuses a wrong secret, a reused code, another redirect_uri and a missing verifier", async () => {
    const { code, verifier } = await signedInCode();
    const wrongSecret = await redeem(
      { code, code_verifier: verifier },
      basic(CLIENT.clientId, "guess"),
    );
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    // The client failed to authenticate, so the code still works for the real client, once.
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(200);
    expect(await redeem({ code, code_verifier: verifier })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });

    const other = await signedInCode();
    expect(
      (
        await redeem({
          code: other.code,
          code_verifier: other.verifier,
          redirect_uri: "http://rp/elsewhere",
        })
      ).body.error,
    ).toBe("invalid_grant");

    const bare = await signedInCode();
    expect((await redeem({ code: bare.code })).body.error).toBe("invalid_grant");
    expect(provider.tokenRequests.map((r) => r.outcome)).toEqual([
      "invalid_client",
      "issued",
      "invalid_grant",
      "invalid_grant",
      "invalid_grant",
    ]);
  });

  it("lets a code expire", async () => {
    await provider.close();
    provider = await startMockOidcProvider({ ...CLIENT, codeTtlMs: 1 });
    provider.signInAs(ANA);
    const { code, verifier } = await signedInCode();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await redeem({ code, code_verifier: verifier })).body.error).toBe("invalid_grant");
  });

  it("refuses an authorization request without S256 PKCE, or with nobody signed in", async () => {
    const plain = await authorize({ code_challenge_method: "plain" });
    expect(plain.back.searchParams.get("error")).toBe("invalid_request");
    expect(plain.back.searchParams.get("state")).toBe("st4te");
    expect(plain.back.searchParams.has("code")).toBe(false);
    const none = await authorize({ code_challenge: "" });
    expect(none.back.searchParams.get("error")).toBe("invalid_request");

    provider.signInAs(null);
    expect((await authorize()).back.searchParams.get("error")).toBe("login_required");
  });

  it("sends nobody to a redirect_uri the client did not register", async () => {
    const { res } = await authorize({ redirect_uri: "http://evil.example/cb" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(provider.authorizations.at(-1)?.outcome).toEqual({
      error: "invalid_client_or_redirect_uri",
    });
  });
});
