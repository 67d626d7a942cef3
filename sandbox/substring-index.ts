/**
 * Substring search over many short strings (the sandbox's Telnyx
 * `filter[email]`, a partial match) without scanning them all: every
 * three-character sequence maps to the strings holding it, in order. A query
 * of three characters or more checks only the strings of its rarest
 * sequence; the answer is the same as a scan's, in the same order.
 */
export class SubstringIndex {
  private readonly postings = new Map<string, number[]>();

  constructor(private readonly values: readonly string[]) {
    values.forEach((value, i) => {
      for (const gram of grams(value)) {
        const list = this.postings.get(gram);
        if (list) list.push(i);
        else this.postings.set(gram, [i]);
      }
    });
  }

  /** Indices of the values containing `query`, ascending; `keep` narrows them further. */
  find(query: string, keep: (index: number) => boolean = () => true): number[] {
    const found: number[] = [];
    let candidates: Iterable<number>;
    if (query.length < 3) {
      candidates = this.values.keys();
    } else {
      let rarest: number[] | undefined;
      for (const gram of grams(query)) {
        const list = this.postings.get(gram);
        if (!list) return found;
        if (!rarest || list.length < rarest.length) rarest = list;
      }
      candidates = rarest ?? [];
    }
    for (const i of candidates) {
      if (keep(i) && this.values[i]!.includes(query)) found.push(i);
    }
    return found;
  }
}

/** The distinct three-character sequences of `value`. */
function grams(value: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= value.length; i++) out.add(value.slice(i, i + 3));
  return out;
}
