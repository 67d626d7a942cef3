import "server-only";

import { serverEnv } from "@/lib/server-env";

import { ApiError } from "./errors";
import { findUnstorableText, isStorableText, UNSTORABLE_WORDS } from "./text";

/** The largest JSON body a state-changing route reads unless it says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses a state-changing request sent by another site's page (403
 * `forbidden_origin`). Browsers send `Origin` on every POST; it must be
 * Roster's own (NEXTAUTH_URL's, or the request's). Clients that send none
 * (curl, scripts) carry no ambient cookies of a victim, and pass.
 */
export function assertSameOrigin(request: Request): void {
  assertNotCrossSite(request);
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const allowed = new Set([new URL(request.url).origin]);
  const configured = serverEnv().NEXTAUTH_URL;
  if (configured) allowed.add(new URL(configured).origin);
  if (!allowed.has(origin)) throw crossSite();
}

/**
 * Refuses a request that the browser says another site's page started
 * (`Sec-Fetch-Site: cross-site`, 403 `forbidden_origin`): also a top-level
 * navigation, which carries no `Origin` but does carry a `SameSite=Lax` cookie.
 */
export function assertNotCrossSite(request: Request): void {
  if (request.headers.get("sec-fetch-site") === "cross-site") throw crossSite();
}

function crossSite(): ApiError {
  return new ApiError("forbidden_origin", "Requests from another site are refused.");
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError("payload_too_large", `The request body must be at most ${maxBytes} bytes.`);
}

/**
 * The request body as bytes, refused with 413 as soon as it passes `maxBytes`
 * (by its Content-Length, or while it streams when that is absent or wrong),
 * so an oversized body is never buffered whole.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
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
  return Buffer.concat(chunks);
}

/** The request body as text (see `readBodyBytes`). */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await readBodyBytes(request, maxBytes));
}

/** Deeper than any body Roster takes (3 levels today), far below what walking it recursively overflows. */
const MAX_JSON_DEPTH = 64;

/**
 * How deeply arrays and objects nest in valid JSON text, and the first key an
 * object holds twice (JSON.parse silently keeps the last of them), read
 * without recursion.
 */
function jsonShape(text: string): { depth: number; duplicateKey: string | null } {
  // One entry per open container: an object's keys so far, or null for an array.
  const open: (Set<string> | null)[] = [];
  let deepest = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      const keys = open.at(-1);
      if (expectKey && keys) {
        // Decoded, so that "a" and "\u0061" are the same key, as they are to JSON.parse.
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (keys.has(key)) return { depth: deepest, duplicateKey: key };
        keys.add(key);
      }
      expectKey = false;
    } else if (char === "{" || char === "[") {
      open.push(char === "{" ? new Set() : null);
      deepest = Math.max(deepest, open.length);
      expectKey = char === "{";
    } else if (char === "}" || char === "]") {
      open.pop();
    } else if (char === ",") {
      expectKey = open.at(-1) != null;
    }
  }
  return { depth: deepest, duplicateKey: null };
}

/**
 * Whether the request declares a JSON body (`application/json` or a `+json`
 * type, any parameters) or no type at all (`curl -X POST` with no data).
 */
function declaresJsonOrNothing(request: Request): boolean {
  const header = request.headers.get("content-type");
  if (header === null) return true;
  const type = header.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[^/]+\+json$/.test(type);
}

/**
 * The body parsed as JSON (an empty body is `{}`), or 400 `invalid_body`: sent
 * with a Content-Type other than JSON (a form's or `text/plain`, which another
 * site's page can send without asking, and which says the body is something
 * else), not UTF-8 (JSON's encoding; its bytes are never guessed at as
 * U+FFFD), not JSON, nested more than MAX_JSON_DEPTH levels (a stack
 * overflow, so a 500, further on), an object giving a key twice (JSON.parse
 * would keep the last, so `{"decision":"revoke","decision":"keep"}` would
 * silently be a keep), or text the database cannot store (a NUL, a lone
 * surrogate) anywhere in it, named by its path.
 */
export async function readJsonBody(
  request: Request,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<unknown> {
  if (!declaresJsonOrNothing(request)) {
    throw new ApiError("invalid_body", "Send the body as JSON (Content-Type: application/json).");
  }
  const bytes = await readBodyBytes(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError("invalid_body", "The body is not UTF-8 text.");
  }
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_body", "The body is not valid JSON.");
  }
  const shape = jsonShape(text);
  if (shape.depth > MAX_JSON_DEPTH) {
    throw new ApiError(
      "invalid_body",
      `The body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  if (shape.duplicateKey !== null) {
    const named = isStorableText(shape.duplicateKey) && shape.duplicateKey.length <= 64;
    const key = named ? JSON.stringify(shape.duplicateKey) : "a field";
    throw new ApiError("invalid_body", `The body gives ${key} twice in one object.`);
  }
  const where = findUnstorableText(value);
  if (where !== null) throw new ApiError("invalid_body", `${where} holds ${UNSTORABLE_WORDS}.`);
  return value;
}
