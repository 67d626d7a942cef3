import "server-only";

import type { FilterName, ProviderId, User, UsersFilters } from "@/lib/users/schema";

/**
 * Where a listing stands inside the vendor's own pagination. It is what the
 * signed, opaque `nextCursor` carries (see `lib/api/cursor.ts`), so an adapter
 * can resume a scan exactly where it stopped, even in the middle of a vendor page.
 */
export type VendorPosition =
  /**
   * Telnyx: the vendor page to read next at `page[size]` = `size`, and how many
   * of its rows were already returned. Keeping `size` lets a client change
   * `limit` between pages: the adapter turns the position into an offset.
   */
  | {
      kind: "page";
      page: number;
      size: number;
      skip: number;
      /** `meta.total_results` when the listing started: a later page reporting another total means rows shifted. */
      total?: number;
      /**
       * The place, in vendor order, of the last row returned before this
       * position: a user between it and the next page's first row was skipped
       * by a shift, unless removed (see `lib/directory/skip-check.ts`).
       */
      last?: { createdAt: string | null; id: string };
    }
  /** OpenAI: the `after` id to read from (null: the start), and rows of that page already returned. */
  | { kind: "after"; after: string | null; skip: number }
  /**
   * The directory: the snapshot a listing reads (pinned, so a sync during a
   * scroll changes nothing) and the last row returned, in vendor order.
   */
  | { kind: "directory"; snapshot: number; createdAt: string | null; id: string };

export interface ListUsersInput {
  filters: UsersFilters;
  limit: number;
  /** null: from the start. */
  position: VendorPosition | null;
  signal?: AbortSignal;
}

export interface ListUsersResult {
  data: User[];
  /** null exactly when nothing follows. */
  next: VendorPosition | null;
  total: number | null;
  filteredBy: { vendor: FilterName[]; roster: FilterName[] };
  /** The directory: when the snapshot answering was taken (ISO 8601). */
  asOf?: string;
}

export interface ExportUsersInput {
  filters: UsersFilters;
  /** Vendor pages fetched at once where the vendor allows it (Telnyx). */
  concurrency: number;
  signal?: AbortSignal;
  /** Called once, before the first batch, when the vendor reports the total. */
  onTotal?: (total: number) => void;
  /** The directory: called once, before the first batch, with the snapshot the export reads. */
  onSnapshot?: (snapshotId: number) => void;
  /**
   * Called for every vendor page read, in order, before its rows are
   * yielded: the paging facts a directory snapshot keeps as its proof of
   * completeness (Telnyx `meta`; OpenAI `after`, `has_more`, `first_id`, `last_id`).
   */
  onPage?: (page: ExportPageInfo) => void;
}

export interface ExportPageInfo {
  /** Rows the vendor sent on this page (before any Roster-side filter). */
  rows: number;
  /** The vendor's paging fields for this page, as received. */
  marker: Record<string, string | number | boolean | null>;
}

/** What lists and exports users: a vendor's adapter, or the directory's reader of one vendor. */
export interface UsersReader {
  readonly id: ProviderId;
  isConfigured(): boolean;
  /** One page of the list API. Throws `ApiError` (lib/api/errors.ts) on failure. */
  listUsers(input: ListUsersInput): Promise<ListUsersResult>;
  /**
   * Every matching user, in the vendor's order, as batches (one per vendor
   * page). Never holds the whole list; throws `ApiError` when the vendor fails
   * for good, so a streamed export can abort instead of ending short.
   */
  exportUsers(input: ExportUsersInput): AsyncIterable<User[]>;
  /**
   * Readers of numbered pages (Telnyx), where a user removed from a page
   * already read shifts the next page past a user who is then never read
   * (see lib/directory/page-gaps.ts). Asks the vendor for each of `ids`,
   * users a read did not see, `concurrency` at a time: resolves when none is
   * listed any more, throws 409 `list_changed` once one still is (the read
   * missed it), or the vendor's failure as an `ApiError`. With `filters` (the
   * read's), a user still listed counts only while it matches them: one whose
   * status or email changed has left the filtered list.
   */
  confirmRemoved?(
    ids: readonly string[],
    options: { concurrency: number; signal?: AbortSignal; filters?: UsersFilters },
  ): Promise<void>;
}

/** A vendor: it lists and exports, and answers live lookups by email. */
export interface ProviderAdapter extends UsersReader {
  /**
   * The users the vendor's own email filter returns for these addresses, in
   * one go where the vendor takes several (OpenAI `emails[]`) and one after
   * another where it takes one (Telnyx `filter[email]`, a partial match).
   * Callers match exactly themselves. Throws `ApiError` on failure.
   */
  findUsersByEmail(emails: readonly string[], signal?: AbortSignal): Promise<User[]>;
}
