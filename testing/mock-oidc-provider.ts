/**
 * A small OpenID Connect provider for tests: discovery, a JWKS with an RSA key
 * made at start, an authorization endpoint without a login form (it signs in
 * whoever the test chose with `signInAs`), a token endpoint and userinfo.
 * It refuses what a real provider refuses (a wrong client secret, an unknown,
 * expired or reused code, another redirect_uri, a code_verifier that does not
 * hash to the code_challenge, an authorization request without S256 PKCE), so
 * a flow that completes against it really did PKCE. It records every
 * authorization and token request for tests to assert on, and counts discovery
 * requests (which `failDiscovery` makes fail).
 * Node built-ins only: node:http and node:crypto.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface MockOidcUser {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface MockOidcOptions {
  clientId: string;
  clientSecret: string;
  /** The only redirect URI the client registered; any other is refused, as a real provider does. */
  redirectUri: string;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /** How long a code may wait to be redeemed; 60 seconds by default. */
  codeTtlMs?: number;
}

/** An authorization request as it reached the provider, and what the provider answered. */
export interface AuthorizationRecord {
  query: Record<string, string>;
  /** The code issued, or the error sent back (or shown, when there is nowhere safe to send it). */
  outcome: { code: string } | { error: string };
}

/** A token request: how the client authenticated, the grant's fields, and the answer. */
export interface TokenRecord {
  clientAuth: "client_secret_basic" | "client_secret_post" | "none";
  form: Record<string, string>;
  outcome: "issued" | string;
}

export interface MockOidcProvider {
  readonly issuer: string;
  /** Who the next authorization requests sign in; null makes them answer login_required. */
  signInAs(user: MockOidcUser | null): void;
  readonly authorizations: readonly AuthorizationRecord[];
  readonly tokenRequests: readonly TokenRecord[];
  readonly userinfoRequests: number;
  /** Requests for the discovery document, answered or not. */
  readonly discoveryRequests: number;
  /** While true, the discovery document answers 503, as a provider having a blip. */
  failDiscovery(fail: boolean): void;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  user: MockOidcUser;
  expiresAt: number;
}

/** Codes and access tokens kept at most; the oldest go first. */
const MAX_PENDING = 100;
const ACCESS_TOKEN_TTL_SECONDS = 300;
const ID_TOKEN_TTL_SECONDS = 300;
/** RFC 7636 4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const MAX_BODY_BYTES = 16 * 1024;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  json(
    res,
    status,
    { error, error_description: description },
    status === 401 ? { "www-authenticate": 'Basic realm="mock-oidc"' } : {},
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Drops expired entries, then the oldest while there are too many. */
function prune<T extends { expiresAt: number }>(map: Map<string, T>, now: number): void {
  for (const [key, value] of map) if (value.expiresAt <= now) map.delete(key);
  while (map.size >= MAX_PENDING) map.delete(map.keys().next().value as string);
}

/** RFC 6749 2.3.1: the id and secret are form-encoded before they are joined and base64-encoded. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
  try {
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

export async function startMockOidcProvider(options: MockOidcOptions): Promise<MockOidcProvider> {
  const codeTtlMs = options.codeTtlMs ?? 60_000;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = base64url(randomBytes(8));
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, { user: MockOidcUser; expiresAt: number }>();
  const authorizations: AuthorizationRecord[] = [];
  const tokenRequests: TokenRecord[] = [];
  let userinfoRequests = 0;
  let discoveryRequests = 0;
  let discoveryFails = false;
  let user: MockOidcUser | null = null;
  let issuer = "";

  function idToken(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  function authorize(url: URL, res: ServerResponse): void {
    const query = Object.fromEntries(url.searchParams);
    const record: AuthorizationRecord = { query, outcome: { error: "" } };
    authorizations.push(record);
    if (authorizations.length > MAX_PENDING) authorizations.shift();
    // Without a known client and its registered redirect URI there is nowhere safe to send an error.
    if (query.client_id !== options.clientId || query.redirect_uri !== options.redirectUri) {
      record.outcome = { error: "invalid_client_or_redirect_uri" };
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("Unknown client_id or unregistered redirect_uri.");
      return;
    }
    const back = new URL(options.redirectUri);
    if (query.state !== undefined) back.searchParams.set("state", query.state);
    const refuse = (error: string, description: string) => {
      record.outcome = { error };
      back.searchParams.set("error", error);
      back.searchParams.set("error_description", description);
      res.writeHead(302, { location: back.toString() });
      res.end();
    };
    if (query.response_type !== "code") {
      return refuse("unsupported_response_type", "Only the code flow is supported.");
    }
    if (!(query.scope ?? "").split(" ").includes("openid")) {
      return refuse("invalid_scope", "The openid scope is required.");
    }
    if (!query.code_challenge || query.code_challenge_method !== "S256") {
      return refuse("invalid_request", "PKCE with code_challenge_method=S256 is required.");
    }
    if (!user) return refuse("login_required", "No user is signed in at the mock provider.");
    const now = Date.now();
    prune(codes, now);
    const code = base64url(randomBytes(24));
    codes.set(code, {
      clientId: query.client_id,
      redirectUri: query.redirect_uri,
      codeChallenge: query.code_challenge,
      nonce: query.nonce,
      user,
      expiresAt: now + codeTtlMs,
    });
    record.outcome = { code };
    back.searchParams.set("code", code);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    if (!form) return oauthError(res, 400, "invalid_request", "The request body is too large.");
    const basic = basicCredentials(req.headers.authorization);
    const posted = form.get("client_secret");
    const record: TokenRecord = {
      clientAuth: basic ? "client_secret_basic" : posted !== null ? "client_secret_post" : "none",
      form: Object.fromEntries(form),
      outcome: "",
    };
    tokenRequests.push(record);
    if (tokenRequests.length > MAX_PENDING) tokenRequests.shift();
    const fail = (status: number, error: string, description: string) => {
      record.outcome = error;
      oauthError(res, status, error, description);
    };

    if (basic && posted !== null) {
      return fail(400, "invalid_request", "Use one client authentication method, not two.");
    }
    const clientId = basic?.id ?? form.get("client_id") ?? "";
    const secret = basic?.secret ?? posted ?? "";
    if (!sameText(clientId, options.clientId) || !sameText(secret, options.clientSecret)) {
      return fail(401, "invalid_client", "Client authentication failed.");
    }
    if (form.get("grant_type") !== "authorization_code") {
      return fail(400, "unsupported_grant_type", "Only authorization_code is supported.");
    }
    const code = form.get("code") ?? "";
    const pending = codes.get(code);
    // Single use: whatever happens next, this code is spent.
    codes.delete(code);
    if (!pending || pending.expiresAt <= Date.now()) {
      return fail(400, "invalid_grant", "The code is unknown, expired or already used.");
    }
    if (pending.clientId !== clientId) {
      return fail(400, "invalid_grant", "The code was issued to another client.");
    }
    if (form.get("redirect_uri") !== pending.redirectUri) {
      return fail(400, "invalid_grant", "redirect_uri differs from the authorization request's.");
    }
    const verifier = form.get("code_verifier") ?? "";
    const hashed = base64url(createHash("sha256").update(verifier, "ascii").digest());
    if (!CODE_VERIFIER.test(verifier) || !sameText(hashed, pending.codeChallenge)) {
      return fail(400, "invalid_grant", "code_verifier does not match the code_challenge.");
    }

    const now = Math.floor(Date.now() / 1000);
    const accessToken = base64url(randomBytes(24));
    prune(accessTokens, Date.now());
    accessTokens.set(accessToken, {
      user: pending.user,
      expiresAt: Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000,
    });
    record.outcome = "issued";
    json(res, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      scope: "openid email profile",
      id_token: idToken({
        iss: issuer,
        aud: clientId,
        sub: pending.user.sub,
        email: pending.user.email,
        email_verified: pending.user.email_verified,
        ...(pending.user.name !== undefined ? { name: pending.user.name } : {}),
        iat: now,
        exp: now + ID_TOKEN_TTL_SECONDS,
        ...(pending.nonce !== undefined ? { nonce: pending.nonce } : {}),
      }),
    });
  }

  function userinfo(req: IncomingMessage, res: ServerResponse): void {
    userinfoRequests += 1;
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "");
    const entry = match ? accessTokens.get(match[1]!) : undefined;
    if (!entry || entry.expiresAt <= Date.now()) {
      res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' });
      res.end();
      return;
    }
    const { sub, email, email_verified, name } = entry.user;
    json(res, 200, { sub, email, email_verified, ...(name !== undefined ? { name } : {}) });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer || "http://127.0.0.1");
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "GET /.well-known/openid-configuration":
        discoveryRequests += 1;
        if (discoveryFails) {
          return json(res, 503, { error: "temporarily_unavailable" });
        }
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          scopes_supported: ["openid", "email", "profile"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          code_challenge_methods_supported: ["S256"],
          claims_supported: ["sub", "email", "email_verified", "name"],
        });
      case "GET /jwks":
        return json(res, 200, { keys: [jwk] });
      case "GET /authorize":
        return authorize(url, res);
      case "POST /token":
        token(req, res).catch(() => {
          if (!res.headersSent) oauthError(res, 500, "server_error", "The mock failed.");
          else res.destroy();
        });
        return;
      case "GET /userinfo":
        return userinfo(req, res);
      default:
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("Not found");
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    signInAs(next) {
      user = next;
    },
    authorizations,
    tokenRequests,
    get userinfoRequests() {
      return userinfoRequests;
    },
    get discoveryRequests() {
      return discoveryRequests;
    },
    failDiscovery(fail) {
      discoveryFails = fail;
    },
    close() {
      codes.clear();
      accessTokens.clear();
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
