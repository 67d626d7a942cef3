/**
 * Text that PostgreSQL cannot store: a NUL character (refused in `text` and
 * in `jsonb`) or a lone UTF-16 surrogate (half of an emoji; `jsonb` refuses
 * its escape). Input holding either is refused at the door with a 400 that
 * names where, instead of failing later as a 500. Browser-safe.
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text with each NUL and lone surrogate replaced by U+FFFD (for text Roster must keep). */
export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.replace(new RegExp(UNSTORABLE, "g"), "\ufffd");
}

/** What a refused value holds, in words for an error message. */
export const UNSTORABLE_WORDS = "a NUL character or a broken (unpaired surrogate) character";

/**
 * The path (`scope.roles[0]`, or `the body`) of the first string or object
 * key in a parsed JSON value that is not storable text; null when all are.
 */
export function findUnstorableText(value: unknown, path = ""): string | null {
  if (typeof value === "string") return isStorableText(value) ? null : path || "the body";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return `a field name in ${path || "the body"}`;
      const at = path ? `${path}.${key}` : key;
      const found = findUnstorableText(item, at);
      if (found !== null) return found;
    }
  }
  return null;
}
