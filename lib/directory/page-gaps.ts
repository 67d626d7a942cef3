/**
 * Where a read of numbered pages (Telnyx) may have skipped a user. A user
 * removed from a page already read moves every later user one place up, so
 * the next page starts one user further on and the user that was first on it
 * is never read; a user added meanwhile keeps the count, so no total gives it
 * away. Such a user can only sit between the last user of one page and the
 * first of the next, in vendor order: created time, then the id (as
 * `lib/directory/read.ts` lists the directory, and as the sandbox orders).
 */

/**
 * Users missing from between two pages that a reader asks the vendor about,
 * per gap: a shift skips the users right after a page's last, so more would
 * only be a run of users removed, each costing a vendor call.
 */
export const SUSPECTS_PER_GAP = 10;

/** A user's place in vendor order. */
export interface OrderKey {
  /** ISO 8601 as `toISOString` writes it (one form for every time, so the text sorts as the time); null sorts last. */
  createdAt: string | null;
  id: string;
}

export function compareOrder(a: OrderKey, b: OrderKey): number {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === null) return 1;
    if (b.createdAt === null) return -1;
    return a.createdAt < b.createdAt ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function keyOf({ createdAt, id }: OrderKey): OrderKey {
  return { createdAt, id };
}

/** The gaps between the pages of one read, fed page by page in the order read. */
export class PageGaps {
  private last: OrderKey | null = null;
  /** Open intervals, in order: after the last user of a page, before the first of the next. */
  private readonly gaps: [after: OrderKey, before: OrderKey][] = [];
  private inOrder = true;

  /** Notes a page's users; a page out of vendor order turns the check off (see `ordered`). */
  page(users: readonly OrderKey[]): void {
    if (!this.inOrder || users.length === 0) return;
    for (let i = 1; i < users.length; i++) {
      if (compareOrder(users[i - 1]!, users[i]!) >= 0) {
        this.inOrder = false;
        return;
      }
    }
    const first = users[0]!;
    if (this.last !== null) {
      if (compareOrder(this.last, first) >= 0) {
        this.inOrder = false;
        return;
      }
      this.gaps.push([this.last, keyOf(first)]);
    }
    // Only the place is kept, not the page's user (with the vendor's record).
    this.last = keyOf(users[users.length - 1]!);
  }

  /**
   * Whether every page came in vendor order. If not, the vendor orders some
   * other way, and where a skipped user would sit is not known.
   */
  get ordered(): boolean {
    return this.inOrder;
  }

  /** The gaps, in order: after the last user of a page, before the first of the next. */
  intervals(): readonly (readonly [after: OrderKey, before: OrderKey])[] {
    return this.gaps;
  }

  /** Page boundaries seen: one fewer than the pages that held users. */
  get boundaries(): number {
    return this.gaps.length;
  }

  /**
   * Of `users` (none of them read), those whose place is between two pages
   * read, in vendor order: in each gap, the `perGap` nearest its start. A
   * shift skips the users right after the last one of a page, so those are
   * the ones to ask about; a gap holding many more is a run of users removed.
   */
  between<T extends OrderKey>(users: readonly T[], perGap = Number.POSITIVE_INFINITY): T[] {
    if (!this.inOrder) return [];
    const sorted = [...users].sort(compareOrder);
    const found: T[] = [];
    let next = 0;
    for (const [after, before] of this.gaps) {
      while (next < sorted.length && compareOrder(sorted[next]!, after) <= 0) next++;
      for (let taken = 0; next < sorted.length && compareOrder(sorted[next]!, before) < 0; next++) {
        if (taken++ < perGap) found.push(sorted[next]!);
      }
    }
    return found;
  }
}
