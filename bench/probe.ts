/** Does a feature exist on the running app? Asked by its routes, as a script would. */

/**
 * Null when `path` answers with something other than 404/405 (the route
 * exists), otherwise a reason to print as "not built". A GET probe of a
 * POST-only route answers 405, which also counts as existing.
 */
export async function probeRoute(
  appUrl: string,
  path: string,
  init: { method?: string; cookie: string; body?: unknown } = { cookie: "" },
): Promise<string | null> {
  const res = await fetch(`${appUrl}${path}`, {
    method: init.method ?? "GET",
    redirect: "manual",
    headers: {
      cookie: init.cookie,
      accept: "application/json",
      origin: appUrl,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  if (res.status === 404) return `${init.method ?? "GET"} ${path} answers 404`;
  return null;
}

/** Null when the page renders for a signed-in admin; otherwise why not. */
export async function probePage(
  appUrl: string,
  path: string,
  cookie: string,
): Promise<string | null> {
  const res = await fetch(`${appUrl}${path}`, {
    redirect: "manual",
    headers: { cookie, accept: "text/html" },
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  if (res.status === 404) return `the page ${path} answers 404`;
  if (res.status >= 300) return `the page ${path} answers ${res.status}`;
  return null;
}

/** `res` as JSON when 2xx; otherwise an error that names the request and the answer. */
export async function jsonOf<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
