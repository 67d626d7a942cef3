import { readApiError } from "@/lib/api/json-guards";

import { fetchCsrfToken } from "./csrf";

export const INVALID_CREDENTIALS = "Email or password is incorrect.";
const TOO_MANY_ATTEMPTS = "Too many failed sign-in attempts. Try again later.";
const UNAVAILABLE = "Sign-in is unavailable right now. Try again in a moment.";

export type SignInResult = { ok: true } | { ok: false; message: string };

/**
 * Posts email and password to next-auth's credentials callback, the way
 * next-auth/react's `signIn` does, but reading the status itself: a 429 from
 * the throttle carries a message and `Retry-After`, which `signIn` cannot
 * surface.
 */
export async function submitCredentials(input: {
  email: string;
  password: string;
  callbackUrl: string;
}): Promise<SignInResult> {
  try {
    const csrfToken = await fetchCsrfToken();
    if (!csrfToken) return { ok: false, message: UNAVAILABLE };
    const response = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...input, csrfToken, json: "true" }),
    });
    if (response.status === 429) {
      const error = readApiError(await response.json().catch(() => null));
      return { ok: false, message: error?.message ?? TOO_MANY_ATTEMPTS };
    }
    if (response.status === 401) return { ok: false, message: INVALID_CREDENTIALS };
    if (!response.ok) return { ok: false, message: UNAVAILABLE };
    // Success answers `{ url: callbackUrl }`; a stale CSRF token or another refusal answers a URL with `error` or `csrf`.
    const body: unknown = await response.json().catch(() => null);
    const url =
      typeof body === "object" && body !== null ? (body as { url?: unknown }).url : undefined;
    if (typeof url !== "string") return { ok: false, message: UNAVAILABLE };
    const params = new URL(url, window.location.origin).searchParams;
    if (params.has("error") || params.has("csrf")) return { ok: false, message: UNAVAILABLE };
    return { ok: true };
  } catch {
    return { ok: false, message: UNAVAILABLE };
  }
}
