import { QueryClient, isServer } from "@tanstack/react-query";

/**
 * Whether a failed query is worth asking again: up to three times, but never
 * for a 4xx answer (a bad filter, a missing review), which would only say the
 * same after seconds of an empty page. Errors carry the answer's `status`.
 */
export function retryQuery(failureCount: number, error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) return false;
  return failureCount < 3;
}

/**
 * The one QueryClient factory. User lists change slowly and re-reading every
 * loaded page of an infinite list is costly, so data stays fresh for a few
 * minutes and is not refetched on window focus.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5 * 60_000,
        gcTime: 15 * 60_000,
        refetchOnWindowFocus: false,
        retry: retryQuery,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/**
 * A fresh client per server render (never shared between requests), one client
 * for the lifetime of the browser tab.
 */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
