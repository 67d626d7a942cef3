import { QueryClient, isServer } from "@tanstack/react-query";

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
