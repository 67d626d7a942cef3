import "server-only";

import NextAuth from "next-auth";
import type { NextRequest } from "next/server";

import { ApiError } from "@/lib/api/errors";
import { serverEnv } from "@/lib/server-env";

import { clientAddress } from "./client-address";
import { CREDENTIALS_PROVIDER_ID, authOptions } from "./options";
import { sessionCookieName } from "./session";
import { MemoryThrottleStore, SignInThrottle, throttleKeys } from "./throttle";

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

/** One per process; see ThrottleStore for running several instances. */
const signInThrottle = new SignInThrottle({ store: new MemoryThrottleStore() });

async function submittedEmail(request: NextRequest): Promise<string> {
  try {
    const copy = request.clone();
    const type = request.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      const body: unknown = await copy.json();
      const email =
        typeof body === "object" && body !== null ? (body as { email?: unknown }).email : undefined;
      return typeof email === "string" ? email : "";
    }
    return new URLSearchParams(await copy.text()).get("email") ?? "";
  } catch {
    return "";
  }
}

function minutes(seconds: number): string {
  const count = Math.max(1, Math.ceil(seconds / 60));
  return count === 1 ? "1 minute" : `${count} minutes`;
}

function signedIn(response: Response): boolean {
  const name = sessionCookieName();
  return response.headers.getSetCookie().some((cookie) => cookie.startsWith(name));
}

/** Email-and-password sign-in, counted by the throttle: failures are next-auth's 401 answers. */
async function credentialsCallback(
  request: NextRequest,
  context: AuthRouteContext,
): Promise<Response> {
  const keys = throttleKeys({
    email: await submittedEmail(request),
    address: clientAddress(request.headers, serverEnv().TRUST_PROXY),
  });
  const verdict = await signInThrottle.attempt(keys, async () => {
    const response = await nextAuth()(request, context);
    const outcome = response.status === 401 ? "failed" : signedIn(response) ? "succeeded" : "other";
    return { result: response, outcome };
  });
  if (verdict.allowed) return verdict.result;
  console.warn("[roster] sign-in throttled after repeated failures");
  return new ApiError(
    "too_many_requests",
    `Too many failed sign-in attempts. Try again in ${minutes(verdict.retryAfterSeconds)}.`,
    { retryAfterSeconds: verdict.retryAfterSeconds },
  ).toResponse();
}

export async function handleAuthGet(
  request: NextRequest,
  context: AuthRouteContext,
): Promise<Response> {
  return nextAuth()(request, context);
}

export async function handleAuthPost(
  request: NextRequest,
  context: AuthRouteContext,
): Promise<Response> {
  const [action, provider] = (await context.params).nextauth;
  if (action === "callback" && provider === CREDENTIALS_PROVIDER_ID) {
    return credentialsCallback(request, context);
  }
  return nextAuth()(request, context);
}
