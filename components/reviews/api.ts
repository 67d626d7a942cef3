import { readApiError } from "@/lib/api/json-guards";

/** A non-2xx answer: the API's message, and the status (a 4xx is not worth asking again). */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Calls Roster's API as JSON; a non-2xx answer throws an ApiCallError carrying the API's message. */
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
    throw new ApiCallError(
      readApiError(body)?.message ?? `The server answered ${response.status}.`,
      response.status,
    );
  }
  return body as T;
}
