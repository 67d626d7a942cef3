import "server-only";

import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

import { z } from "zod";

import { authSecret } from "@/lib/auth/secret";
import type { VendorPosition } from "@/lib/providers/types";
import type { ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";

import { ApiError } from "./errors";

/**
 * The opaque `nextCursor`: `base64url(JSON payload).base64url(HMAC-SHA256)`.
 * The payload binds a vendor position to the provider and the filters it was
 * made for, so a cursor replayed elsewhere is refused instead of silently
 * listing the wrong rows. Not encrypted: it holds only vendor positions.
 */

const VERSION = 1;

const count = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const positionSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("page"),
    page: count.min(1),
    size: count.min(1).max(1000),
    skip: count,
    total: count.optional(),
    last: z
      .strictObject({ createdAt: z.string().max(64).nullable(), id: z.string().min(1).max(512) })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal("after"),
    after: z.string().min(1).max(512).nullable(),
    skip: count,
  }),
  z.strictObject({
    kind: z.literal("directory"),
    snapshot: count.min(1),
    createdAt: z.string().max(64).nullable(),
    id: z.string().min(1).max(512),
  }),
]) satisfies z.ZodType<VendorPosition>;

const payloadSchema = z.strictObject({
  v: z.literal(VERSION),
  provider: z.string(),
  filters: z.string(),
  position: positionSchema,
});

export interface CursorScope {
  provider: ProviderId;
  filters: UsersFilters;
  /** Where the list is read: a cursor from one source is refused by the other. */
  source?: UsersSource;
}

let keyCache: { secret: string; key: Buffer } | undefined;

/** A key of its own for cursors, derived from the session secret, so one secret serves both without sharing a key. */
function cursorKey(): Buffer {
  const secret = authSecret();
  if (keyCache?.secret !== secret) {
    keyCache = {
      secret,
      key: Buffer.from(hkdfSync("sha256", secret, "roster", "roster/cursor/v1", 32)),
    };
  }
  return keyCache.key;
}

function sign(data: string): Buffer {
  return createHmac("sha256", cursorKey()).update(data).digest();
}

/** A digest of the filters (not the filters themselves: the email filter stays out of the cursor). */
function filtersDigest(filters: UsersFilters, source: UsersSource = "vendor"): string {
  const canonical = JSON.stringify([
    filters.status ?? null,
    filters.email ?? null,
    filters.groups,
    ...(source === "vendor" ? [] : [source]),
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

function invalidCursor(reason: string): ApiError {
  return new ApiError("invalid_cursor", `cursor ${reason}; start again without a cursor`);
}

export function encodeCursor(scope: CursorScope, position: VendorPosition): string {
  const payload: z.infer<typeof payloadSchema> = {
    v: VERSION,
    provider: scope.provider,
    filters: filtersDigest(scope.filters, scope.source),
    position,
  };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(data).toString("base64url")}`;
}

/** The position a cursor holds, or 400 `invalid_cursor` when it is not one this server made for this scope. */
export function decodeCursor(cursor: string, scope: CursorScope): VendorPosition {
  const [data, signature, ...rest] = cursor.split(".");
  if (!data || !signature || rest.length > 0) throw invalidCursor("is not a cursor from this API");
  // Compared as text: decoding first would let base64url's leniency accept altered signatures.
  const given = Buffer.from(signature);
  const expected = Buffer.from(sign(data).toString("base64url"));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalidCursor("is not a cursor from this API, or it was altered");
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor("is not a cursor from this API");
  }
  const payload = payloadSchema.safeParse(json);
  if (!payload.success) throw invalidCursor("is not a cursor from this API");
  if (payload.data.provider !== scope.provider)
    throw invalidCursor("was made for another provider");
  if (payload.data.filters !== filtersDigest(scope.filters, scope.source)) {
    throw invalidCursor("was made for other filters (status, email, groups, source)");
  }
  return payload.data.position;
}
