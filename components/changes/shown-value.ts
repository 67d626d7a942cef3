/**
 * A changed field's value as the Changes page shows it: "—" when the vendor
 * sent none, "none" for an empty list of groups (joined names, so ""), and
 * "yes" or "no" for a flag.
 */
export function shownValue(value: string | boolean | null): string {
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return value === "" ? "none" : value;
}
