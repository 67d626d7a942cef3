/**
 * Canonical JSON: the one serialization the activity chain and the review
 * item hashes are computed over, so anyone can recompute them.
 *
 * - objects: keys sorted by UTF-16 code unit (JavaScript's default sort), keys
 *   whose value is `undefined` left out; no whitespace anywhere;
 * - strings and finite numbers as `JSON.stringify` writes them;
 * - times are never Date objects here: callers pass `toISOString()` strings
 *   (UTC, milliseconds, `Z`).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      if (value instanceof Date) throw new TypeError("canonicalJson: pass times as ISO strings");
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialize ${typeof value}`);
  }
}
