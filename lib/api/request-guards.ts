import "server-only";

import { serverEnv } from "@/lib/server-env";

import { ApiError } from "./errors";

/**
 * Checks for state-changing routes, run after the session check and before
 * the body is parsed.
 */

/**
 * Refuses a request a browser sent from another site (403 `cross_site_request`).
 * Browsers send `Origin` on every POST; it must be Roster's own origin (the
 * request's, or `NEXTAUTH_URL`'s behind a proxy). Scripts send no `Origin` and
 * pass: they need a session token anyway.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const allowed = new Set([new URL(request.url).origin]);
  const publicUrl = serverEnv().NEXTAUTH_URL;
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  if ((origin !== null && !allowed.has(origin)) || fetchSite === "cross-site") {
    throw new ApiError("cross_site_request", "Requests from other sites are refused.");
  }
}

/**
 * The request body parsed as JSON, reading at most `maxBytes`: a larger body
 * (by its `Content-Length` or as it streams in) is 413 `payload_too_large`,
 * anything but JSON is 400 `invalid_query`.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new ApiError(
      "payload_too_large",
      `The request body is larger than ${Math.floor(maxBytes / 1024)} KiB.`,
    );
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new ApiError("invalid_query", "The request body must be JSON.");
  }
}
