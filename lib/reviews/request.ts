import "server-only";

import { ApiError } from "@/lib/api/errors";
import { serverEnv } from "@/lib/server-env";

/** Review bodies are small: 1,000 decisions with long comments fit well under this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Refuses a state-changing request from another site. Browsers send `Origin`
 * on every POST; it must be Roster's own (the request's, or NEXTAUTH_URL's
 * behind a proxy). Without `Origin`, `Sec-Fetch-Site: cross-site` is refused
 * too; a request with neither is not from a browser (curl, scripts).
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const allowed = new Set([new URL(request.url).origin]);
  const configured = serverEnv().NEXTAUTH_URL;
  if (configured) allowed.add(new URL(configured).origin);
  if (origin !== null) {
    if (!allowed.has(origin)) {
      throw new ApiError(
        "forbidden_origin",
        "This request came from another site and was refused.",
      );
    }
    return;
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    throw new ApiError("forbidden_origin", "This request came from another site and was refused.");
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `The request body must be at most ${limit} bytes.`);
}

/**
 * Reads a JSON body of at most `limit` bytes: a larger Content-Length is
 * refused before reading, and the bytes are counted while reading (a chunked
 * body has no Content-Length).
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("invalid_body", "Send the body as JSON (Content-Type: application/json).");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_body", "The body is not valid JSON.");
  }
}
