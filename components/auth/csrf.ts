/**
 * next-auth's CSRF token, read from its endpoint. A plain fetch instead of
 * next-auth/react keeps that library out of the dashboard's bundle.
 */
export async function fetchCsrfToken(): Promise<string | null> {
  const response = await fetch("/api/auth/csrf", { cache: "no-store" });
  if (!response.ok) return null;
  const body: unknown = await response.json().catch(() => null);
  const token =
    typeof body === "object" && body !== null ? (body as { csrfToken?: unknown }).csrfToken : null;
  return typeof token === "string" && token !== "" ? token : null;
}

/** Ends the session the way next-auth/react's `signOut` does; true when the server confirmed it. */
export async function requestSignOut(): Promise<boolean> {
  try {
    const csrfToken = await fetchCsrfToken();
    if (!csrfToken) return false;
    const response = await fetch("/api/auth/signout", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/signin", json: "true" }),
    });
    return response.ok;
  } catch {
    return false;
  }
}
