/**
 * The client address the sign-in throttle counts attempts under.
 *
 * Next.js does not expose the socket's address to route handlers; it only
 * fills `X-Forwarded-For` with it when the request arrived without one. So:
 *
 * - `trustedProxies = 0` (no proxy in front): the last X-Forwarded-For entry,
 *   which is the socket address unless the client sent the header itself. A
 *   client can therefore pick its own bucket; the per-email limit still holds.
 * - `trustedProxies = n`: each of the n proxies appends the address it saw, so
 *   the n-th entry from the right is what the outermost trusted proxy saw: the
 *   real client. Anything further left was written by the client and ignored.
 */
export function clientAddress(headers: Headers, trustedProxies: number): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  if (hops.length === 0) return "unknown";
  const index = hops.length - Math.max(1, trustedProxies);
  return hops[Math.max(0, index)] ?? "unknown";
}
