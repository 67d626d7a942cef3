import { isIP } from "node:net";

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
  // Bounded before splitting: the header is client-controlled.
  const hops = (headers.get("x-forwarded-for") ?? "")
    .slice(0, 4096)
    .split(",")
    .map((hop) => hop.trim())
    .filter((hop) => hop !== "");
  if (hops.length === 0) return "unknown";
  const index = hops.length - Math.max(1, trustedProxies);
  return addressBucket(hops[Math.max(0, index)] ?? "");
}

/**
 * The bucket an address counts in: an IPv4 address as is, an IPv6 address by
 * its /64 (one subscriber's whole prefix: rotating within it gains nothing),
 * anything else in one shared `invalid` bucket.
 */
export function addressBucket(raw: string): string {
  const text = raw.length > 64 ? "" : raw.replace(/^\[|\](:\d+)?$/g, "");
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return "invalid";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped?.[1]) return mapped[1];
  return `${expandIPv6(text).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lowercase, without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16).toString(16));
}
