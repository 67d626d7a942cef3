import "server-only";

import NextAuth from "next-auth";
import { NextRequest } from "next/server";

import { noteActivity } from "@/lib/activity/record";
import { ApiError, databaseUnavailable, errorResponse } from "@/lib/api/errors";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import { badlyEncodedField } from "@/lib/api/query-params";
import { readBodyText } from "@/lib/api/request-guards";
import { isStorableText, UNSTORABLE_WORDS } from "@/lib/api/text";
import { serverEnv } from "@/lib/server-env";

import { clientAddress } from "./client-address";
import { CREDENTIALS_PROVIDER_ID, OIDC_PROVIDER_ID, authOptions } from "./options";
import { canSkipDiscovery, discoverOidc } from "./oidc-discovery";
import { DatabaseThrottleStore } from "./database-throttle-store";
import { withPasswordCheck } from "./password-check";
import { getAdminSession } from "./session";
import { withSignOutCheck } from "./sign-out-check";
import { MemoryThrottleStore, SignInThrottle } from "./throttle";

export interface AuthRouteContext {
  params: Promise<{ nextauth: string[] }>;
}

type Handler = (request: NextRequest, context: AuthRouteContext) => Promise<Response>;

let nextAuthHandler: Handler | undefined;

/** Created on first request: building the options needs the secret, which `next build` does not have. */
function nextAuth(): Handler {
  nextAuthHandler ??= NextAuth(authOptions()) as Handler;
  return nextAuthHandler;
}

/**
 * next-auth for one request. Starting single sign-on and its callback need the
 * provider's discovery document, which `discoverOidc` keeps for a while: they
 * get it in the options, so next-auth does not fetch it again. When it could
 * not be read, or cannot stand in for discovery here (`canSkipDiscovery`),
 * next-auth discovers as it always did, and fails as it always did.
 */
async function nextAuthFor(
  request: NextRequest,
  context: AuthRouteContext,
  body: string | null,
): Promise<Handler> {
  const [action, provider] = (await context.params).nextauth;
  const issuer = serverEnv().OIDC_ISSUER;
  const starts = action === "signin" && request.method === "POST";
  if (provider !== OIDC_PROVIDER_ID || !(starts || action === "callback") || !issuer) {
    return nextAuth();
  }
  const discovery = await discoverOidc(issuer);
  const callback =
    action !== "callback"
      ? null
      : request.method === "POST"
        ? new URLSearchParams(body ?? "")
        : request.nextUrl.searchParams;
  return discovery && canSkipDiscovery(discovery, callback)
    ? (NextAuth(authOptions(discovery)) as Handler)
    : nextAuth();
}

let signInThrottle: SignInThrottle | undefined;

/**
 * One per process. With DATABASE_URL (several instances may share it) the
 * counts live in PostgreSQL; the embedded database serves one instance, and
 * memory is faster for that.
 */
function throttle(): SignInThrottle {
  signInThrottle ??= new SignInThrottle({
    store: serverEnv().DATABASE_URL ? new DatabaseThrottleStore() : new MemoryThrottleStore(),
  });
  return signInThrottle;
}

/** Sign-in bodies are a few short fields; anything larger is refused before it is buffered. */
export const MAX_AUTH_BODY_BYTES = 16 * 1024;

/** The fields a credentials sign-in may carry: the form's and next-auth's own. */
const CREDENTIAL_FIELDS = new Set([
  "csrfToken",
  "email",
  "password",
  "callbackUrl",
  "json",
  "redirect",
]);

/** The sign-in form is the request's body, so what is wrong with it is `invalid_body`. */
function invalidSignIn(message: string): Response {
  return new ApiError("invalid_body", message).toResponse();
}

/** The form's fields, or a reason to refuse it: each field at most once, none unknown. */
function parseCredentialFields(body: string): { email: string } | { problem: string } {
  const badlyEncoded = badlyEncodedField(body);
  if (badlyEncoded !== null) {
    return { problem: `the sign-in field "${badlyEncoded}" is not percent-encoded UTF-8` };
  }
  const fields = new URLSearchParams(body);
  for (const key of new Set(fields.keys())) {
    if (!CREDENTIAL_FIELDS.has(key)) return { problem: `unknown sign-in field "${key}"` };
    if (fields.getAll(key).length > 1) return { problem: `the sign-in field "${key}" is repeated` };
    // The throttle keeps the email in the database, which cannot store these.
    if (!isStorableText(fields.get(key) ?? "")) {
      return { problem: `the sign-in field "${key}" holds ${UNSTORABLE_WORDS}` };
    }
  }
  return { email: fields.get("email") ?? "" };
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? "1 second" : `${seconds} seconds`;
  const count = Math.ceil(seconds / 60);
  return count === 1 ? "1 minute" : `${count} minutes`;
}

/**
 * Email-and-password sign-in under the throttle. The body is read once,
 * bounded, and must be a form with known fields, each once (a repeated
 * `email` would let the throttle and the password check see different
 * addresses). The outcome counted is the password check's own, on the email
 * it checked, whatever form next-auth's answer takes.
 */
async function credentialsCallback(
  request: NextRequest,
  context: AuthRouteContext,
  body: string,
): Promise<Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    return invalidSignIn("Sign in with a form post (application/x-www-form-urlencoded).");
  }
  const fields = parseCredentialFields(body);
  if ("problem" in fields) return invalidSignIn(fields.problem);
  const address = clientAddress(request.headers, serverEnv().TRUST_PROXY);
  let failedFor: string | null = null;
  const verdict = await throttle().attempt({ email: fields.email, address }, async () => {
    const { result, check } = await withPasswordCheck(() =>
      nextAuth()(rebuilt(request, body), context),
    );
    // Anyone may post one, so the address kept in the log is bounded as the throttle counts it.
    if (check && !check.ok) failedFor = check.email.slice(0, 320);
    return {
      result,
      outcome: check === undefined ? "other" : check.ok ? "succeeded" : "failed",
      ...(check ? { checked: { email: check.email, address } } : {}),
    };
  });
  if (verdict.allowed) {
    // A success is recorded by next-auth's signIn event, for every sign-in method alike.
    if (failedFor !== null) {
      await noteActivity({
        kind: "auth.sign_in",
        admin: failedFor,
        details: { method: "credentials", outcome: "failure", reason: "bad_credentials", address },
      });
    }
    return verdict.result;
  }
  console.warn("[roster] sign-in throttled after repeated failures");
  await noteActivity({
    kind: "auth.sign_in",
    // As the throttle and the password check count it: as typed, a filter on the admin missed it.
    admin: fields.email.trim().toLowerCase().slice(0, 320),
    details: { method: "credentials", outcome: "throttled", address },
  });
  return new ApiError(
    "too_many_requests",
    `Too many failed sign-in attempts. Try again in ${waitText(verdict.retryAfterSeconds)}.`,
    { retryAfterSeconds: verdict.retryAfterSeconds },
  ).toResponse();
}

/** The request again, with the body already read (next-auth reads it itself). */
function rebuilt(request: NextRequest, body: string): NextRequest {
  return new NextRequest(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
  });
}

/**
 * next-auth's GET endpoints. `session` answers as for no session (`{}`, no
 * renewed cookie) when Roster would refuse the cookie: next-auth alone checks
 * only its signature and age, so a signed-out cookie (revoked), a removed admin
 * or one past SESSION_MAX_AGE still read as signed in there, with a new cookie.
 */
export async function handleAuthGet(
  request: NextRequest,
  context: AuthRouteContext,
): Promise<Response> {
  const [action] = (await context.params).nextauth;
  try {
    if (action === "session" && !(await getAdminSession(request))) {
      return Response.json({}, { headers: { "Cache-Control": "no-store" } });
    }
  } catch (error) {
    // The revocation check needs the database: out of reach, a JSON 503 database_unavailable
    // (any other error a logged 500), never Next.js's bare 500 with a driver stack trace.
    return errorResponse(error, "GET /api/auth/session", request);
  }
  return (await nextAuthFor(request, context, null))(request, context);
}

export async function handleAuthPost(
  request: NextRequest,
  context: AuthRouteContext,
): Promise<Response> {
  let body: string;
  try {
    body = await readBodyText(request, MAX_AUTH_BODY_BYTES);
  } catch (error) {
    return errorResponse(error, "POST /api/auth", request);
  }
  const [action, provider] = (await context.params).nextauth;
  if (action === "callback" && provider === CREDENTIALS_PROVIDER_ID) {
    try {
      return await credentialsCallback(request, context, body);
    } catch (error) {
      // Roster's JSON error (a logged 500 for the unexpected), never a bare framework page.
      return errorResponse(error, "POST /api/auth/callback/credentials", request);
    }
  }
  if (action === "signout") {
    const { result, revocationFailure } = await withSignOutCheck(() =>
      nextAuth()(rebuilt(request, body), context),
    );
    // next-auth's answer would clear the cookie as if the session were over: it is not.
    if (revocationFailure) {
      // A database restart is no fault of Roster's: a 503 the admin can retry in a moment.
      if (databaseUnavailableReason(revocationFailure.error) !== null) {
        return databaseUnavailable(
          "Sign-out failed: Roster's database is not answering, so the session could not be ended. Try again in a moment.",
        );
      }
      return new ApiError(
        "internal_error",
        "Sign-out failed: the session could not be ended. Try again.",
      ).toResponse();
    }
    return result;
  }
  return (await nextAuthFor(request, context, body))(rebuilt(request, body), context);
}
