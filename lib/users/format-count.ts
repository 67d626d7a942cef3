/** A count as every page writes it: "1,000", whatever the browser's locale. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
