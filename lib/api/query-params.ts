/**
 * The query parameters every list API shares, parsed one way: a page `limit`
 * and a `cursor` from an earlier answer. Browser-safe (the API contracts that
 * use it are shared with the browser).
 */

import { isStorableText, UNSTORABLE_WORDS } from "./text";

/**
 * The first field (its name as sent) of a query string or form body
 * (`a=1&b=2`) whose name or value holds a percent-encoded byte sequence that
 * is not UTF-8 (`%E9`, Latin-1 "é"): URLSearchParams reads it as U+FFFD, so a
 * filter would silently match nothing, or a sign-in check another address.
 * A `%` not followed by two hex digits is the character itself.
 */
export function badlyEncodedField(encoded: string): string | null {
  for (const part of encoded.split("&")) {
    try {
      decodeURIComponent(part.replace(/\+/g, " ").replace(/%(?![0-9a-fA-F]{2})/g, "%25"));
    } catch {
      return part.split("=")[0] ?? part;
    }
  }
  return null;
}

/** A parsed query, or the parameter that broke its rule and the rule in words (400 `invalid_query`). */
export type ParseResult<T> = { ok: true; value: T } | ParamProblem;
export type ParamProblem = { ok: false; param: string; message: string };

export function isProblem(value: unknown): value is ParamProblem {
  return typeof value === "object" && value !== null && (value as ParamProblem).ok === false;
}

/**
 * Refuses a parameter not in `allowed` (so a typo such as `stauts=blocked` is
 * reported instead of silently ignored), one given twice unless it is in
 * `repeatable`, and a value holding a NUL or a lone surrogate (no database
 * stores either). Null when
 * every parameter is fine.
 */
export function unknownOrRepeatedParam(
  params: URLSearchParams,
  allowed: readonly string[],
  repeatable: readonly string[] = [],
): ParamProblem | null {
  for (const key of new Set(params.keys())) {
    if (!allowed.includes(key)) {
      return {
        ok: false,
        param: key,
        message: `unknown parameter "${key}"; allowed: ${allowed.join(", ")}`,
      };
    }
    if (!repeatable.includes(key) && params.getAll(key).length > 1) {
      return { ok: false, param: key, message: `${key} must be given at most once` };
    }
    if (params.getAll(key).some((value) => !isStorableText(value))) {
      return { ok: false, param: key, message: `${key} holds ${UNSTORABLE_WORDS}` };
    }
  }
  return null;
}

/** A parameter that must be one of `values`; undefined when absent. */
export function oneOfParam<const T extends string>(
  params: URLSearchParams,
  name: string,
  values: readonly T[],
): T | undefined | ParamProblem {
  const value = params.get(name);
  if (value === null) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    return { ok: false, param: name, message: `${name} must be one of ${values.join(", ")}` };
  }
  return value as T;
}

/** The longest address a mailbox can have (RFC 5321), and so the longest email filter. */
export const MAX_EMAIL_LENGTH = 254;

/** An `email` filter of 1 to MAX_EMAIL_LENGTH characters; undefined when absent. */
export function emailParam(params: URLSearchParams): string | undefined | ParamProblem {
  const email = params.get("email");
  if (email === null) return undefined;
  if (email.length < 1 || email.length > MAX_EMAIL_LENGTH) {
    return {
      ok: false,
      param: "email",
      message: `email must be from 1 to ${MAX_EMAIL_LENGTH} characters`,
    };
  }
  return email;
}

/** `limit`, an integer from 1 to `max`; undefined when absent. */
export function limitParam(
  params: URLSearchParams,
  max: number,
): number | undefined | ParamProblem {
  const limit = params.get("limit");
  if (limit === null) return undefined;
  const n = /^[0-9]{1,9}$/.test(limit) ? Number(limit) : NaN;
  if (!(n >= 1 && n <= max)) {
    return { ok: false, param: "limit", message: `limit must be an integer from 1 to ${max}` };
  }
  return n;
}

const CURSOR_MESSAGE = "cursor must be the nextCursor of an earlier response";

/** An opaque `cursor` of at most `maxLength` characters; undefined when absent. */
export function cursorParam(
  params: URLSearchParams,
  maxLength: number,
): string | undefined | ParamProblem {
  const cursor = params.get("cursor");
  if (cursor === null) return undefined;
  if (cursor.length < 1 || cursor.length > maxLength) {
    return { ok: false, param: "cursor", message: CURSOR_MESSAGE };
  }
  return cursor;
}

/** A `cursor` that is a positive sequence number (an entry's or an item's id); undefined when absent. */
export function seqCursorParam(params: URLSearchParams): number | undefined | ParamProblem {
  const cursor = params.get("cursor");
  if (cursor === null) return undefined;
  const n = /^[1-9][0-9]{0,15}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n)) return { ok: false, param: "cursor", message: CURSOR_MESSAGE };
  return n;
}

/**
 * `limit` (1 to `max`) and a sequence-number `cursor` together, as the lists
 * paged by id take them; each is undefined when absent.
 */
export function seqPageParams(
  params: URLSearchParams,
  max: number,
): { limit?: number; cursor?: number } | ParamProblem {
  const limit = limitParam(params, max);
  if (isProblem(limit)) return limit;
  const cursor = seqCursorParam(params);
  if (isProblem(cursor)) return cursor;
  return { limit, cursor };
}
