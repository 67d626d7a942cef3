import "server-only";

import { serverEnv } from "@/lib/server-env";

import { PeopleApiError } from "./errors";

/**
 * Refuses a state-changing request sent from another site: browsers send
 * `Origin` (and `Sec-Fetch-Site`) with every cross-site POST or DELETE, so a
 * page elsewhere cannot make a signed-in admin's browser replace the roster.
 * Scripts sending no `Origin` pass (they authenticate with a bearer token).
 */
export function refuseCrossSite(request: Request): void {
  if (request.headers.get("sec-fetch-site") === "cross-site") throw crossSite();
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const own = new Set([new URL(request.url).origin]);
  const configured = serverEnv().NEXTAUTH_URL;
  if (configured) own.add(new URL(configured).origin);
  if (!own.has(origin)) throw crossSite();
}

function crossSite(): PeopleApiError {
  return new PeopleApiError(
    403,
    "forbidden_origin",
    "Cross-site requests may not change Roster's state.",
  );
}

function tooLarge(maxBytes: number): PeopleApiError {
  return new PeopleApiError(
    413,
    "payload_too_large",
    `The request body is over ${maxBytes / 1024 / 1024} MB.`,
  );
}

/**
 * The request's body as bytes, bounded: refused from its Content-Length when
 * it declares too much, and counted while read when it does not.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}
