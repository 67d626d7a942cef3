import { readApiError } from "@/lib/api/json-guards";

/** Calls Roster's API as JSON; a non-2xx answer throws an Error carrying the API's message. */
export async function apiJson<T>(
  url: string,
  init?: { method?: string; body?: unknown },
): Promise<T> {
  const response = await fetch(url, {
    method: init?.method ?? "GET",
    headers: init?.body === undefined ? {} : { "Content-Type": "application/json" },
    ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(readApiError(body)?.message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}
