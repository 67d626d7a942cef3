import "server-only";

import Telnyx, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "telnyx";

import { ApiError } from "@/lib/api/errors";
import type { FilterName, User, UsersFilters } from "@/lib/users/schema";

import type { ExportPageInfo, ProviderAdapter, VendorPosition } from "../types";

import { telnyxMeta } from "./meta";
import { rawPageSchema, rawUserResponseSchema, type RawPage, type RawUser } from "./schema";
import {
  childController,
  ExportPacer,
  invalidResponse,
  isoFromText,
  letCallsOut,
  listChanged,
  listDeadline,
  parseVendorBody,
  receiveVendorBody,
  requestSignal,
  sdkClient,
  type SdkErrorClasses,
  timedOut,
  toApiError,
  untilAborted,
  upstreamSettings,
  type VendorBody,
  type VendorInfo,
} from "../upstream";

/** Telnyx `GET /v2/organizations/users` (page-number pagination with `meta`). */

const VENDOR: VendorInfo = telnyxMeta;
const SDK_ERRORS: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};
/** The vendor's largest page, used by the export. */
const EXPORT_PAGE_SIZE = 250;

/** A Map, not an object: a vendor value such as `constructor` must not reach a prototype. */
const ROLES: ReadonlyMap<string, string> = new Map([
  ["organization_owner", "owner"],
  ["organization_sub_user", "member"],
]);

function toUser(raw: RawUser, groups: boolean): User {
  return {
    id: raw.id,
    provider: "telnyx",
    email: raw.email ?? null,
    name: null,
    status: raw.user_status,
    role: ROLES.get(raw.record_type) ?? raw.record_type,
    createdAt: raw.created_at ? isoFromText(raw.created_at) : null,
    lastActiveAt: raw.last_sign_in_at ? isoFromText(raw.last_sign_in_at) : null,
    groups: groups && raw.groups ? raw.groups.map(({ id, name }) => ({ id, name })) : null,
    vendor: raw,
  };
}

const telnyxClient = sdkClient({
  vendor: VENDOR,
  key: (env) => env.TELNYX_API_KEY,
  build: (apiKey, env, common) =>
    new Telnyx({
      apiKey,
      // Set explicitly: with these from the environment the SDK would fetch an OAuth token from api.telnyx.com.
      clientID: null,
      clientSecret: null,
      publicKey: null,
      baseURL: env.TELNYX_BASE_URL,
      ...common,
    }),
});

async function fetchPage(
  page: number,
  size: number,
  filters: UsersFilters,
  options: { signal?: AbortSignal; maxRetries?: number },
): Promise<RawPage> {
  return parsePage(await receivePage(page, size, filters, options));
}

/** Requests a page and reads its body to the end, unparsed. */
async function receivePage(
  page: number,
  size: number,
  filters: UsersFilters,
  options: { signal?: AbortSignal; maxRetries?: number },
): Promise<VendorBody> {
  const telnyx = telnyxClient.get();
  try {
    const response = await telnyx.organizations.users
      .list(
        {
          "page[number]": page,
          "page[size]": size,
          ...(filters.status ? { "filter[user_status]": filters.status } : {}),
          ...(filters.email ? { "filter[email]": filters.email } : {}),
          ...(filters.groups ? { include_groups: true } : {}),
        },
        {
          signal: requestSignal(options.signal),
          ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
        },
      )
      .asResponse();
    return await receiveVendorBody(response, VENDOR);
  } catch (error) {
    throw toApiError(error, VENDOR, SDK_ERRORS);
  }
}

/** The user `id` as Telnyx lists it now (`GET /v2/organizations/users/{id}`), or null once removed. */
async function listedUser(id: string, signal: AbortSignal): Promise<User | null> {
  const telnyx = telnyxClient.get();
  let body: VendorBody;
  try {
    const response = await telnyx.organizations.users
      .retrieve(id, {}, { signal: requestSignal(signal) })
      .asResponse();
    body = await receiveVendorBody(response, VENDOR);
  } catch (error) {
    if (error instanceof APIError && error.status === 404) return null;
    throw toApiError(error, VENDOR, SDK_ERRORS);
  }
  const listed = parseVendorBody(body, rawUserResponseSchema, VENDOR).data;
  if (listed.id !== id) {
    throw invalidResponse(VENDOR, `telnyx 200 answered user ${listed.id} for ${id}`);
  }
  return toUser(listed, false);
}

/** Letters A-Z as a-z, and nothing else. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * Whether `user` belongs to a list Telnyx filtered by `filters`. Its email
 * filter is a partial match without case; here only ASCII letters are
 * compared without case, so that this is never broader than Telnyx's: a user
 * its filter leaves out is never taken for one a shifted page skipped.
 */
function inFilteredList(user: User, filters: UsersFilters | undefined): boolean {
  if (filters?.status && user.status !== filters.status) return false;
  if (filters?.email === undefined) return true;
  return asciiLower(user.email ?? "").includes(asciiLower(filters.email));
}

function parsePage(body: VendorBody): RawPage {
  return parseVendorBody(body, rawPageSchema, VENDOR);
}

function vendorFilters(filters: UsersFilters): FilterName[] {
  return [
    ...(filters.status ? ["status" as const] : []),
    ...(filters.email ? ["email" as const] : []),
  ];
}

function pageInfo(raw: RawPage): ExportPageInfo {
  const { page_number, page_size, total_pages, total_results } = raw.meta;
  return {
    rows: raw.data.length,
    marker: { page_number, page_size: page_size ?? null, total_pages, total_results },
  };
}

function hasMore(raw: RawPage, page: number): boolean {
  return raw.data.length > 0 && page < raw.meta.total_pages;
}

/** The vendor must answer the page that was asked for; anything else is not a page Roster can place. */
function checkEcho(raw: RawPage, page: number, size: number): void {
  const { page_number, page_size } = raw.meta;
  if (page_number !== page || (page_size !== undefined && page_size !== size)) {
    throw invalidResponse(
      VENDOR,
      `telnyx 200 answered page ${page_number}/${page_size ?? "?"} for page ${page}/${size}`,
    );
  }
}

function checkTotal(raw: RawPage, expected: number, page: number): void {
  if (raw.meta.total_results !== expected) {
    throw listChanged(
      VENDOR,
      `total_results ${raw.meta.total_results} on page ${page}, ${expected} at the start`,
    );
  }
}

export const telnyxAdapter: ProviderAdapter = {
  id: "telnyx",

  isConfigured: telnyxClient.isConfigured,

  /**
   * One vendor page. Page numbers shift when users are added or removed
   * between two requests, so the cursor carries the total seen first: a page
   * reporting another total, or a last page that does not bring the count to
   * that total, is 409 `list_changed` rather than a silent gap or repeat.
   */
  async listUsers({ filters, limit, position, signal }) {
    const start: VendorPosition = position ?? { kind: "page", page: 1, size: limit, skip: 0 };
    if (start.kind !== "page")
      throw new ApiError("invalid_cursor", "cursor was not made for Telnyx");
    // The position as an offset, so that `limit` may differ from the page size it was made with.
    const offset = (start.page - 1) * start.size + start.skip;
    const page = Math.floor(offset / limit) + 1;
    const deadline = listDeadline(signal, upstreamSettings().listDeadlineMs);
    let raw: RawPage;
    try {
      raw = await untilAborted(
        fetchPage(page, limit, filters, { signal: deadline.signal }),
        deadline.signal,
      );
    } catch (error) {
      if (deadline.expired()) throw timedOut(VENDOR, "telnyx list deadline", error);
      throw error;
    }
    checkEcho(raw, page, limit);
    const total = start.total ?? raw.meta.total_results;
    checkTotal(raw, total, page);
    const rows = raw.data.slice(offset % limit);
    const more = hasMore(raw, page);
    if (!more && offset + rows.length !== total) {
      throw listChanged(VENDOR, `ended at row ${offset + rows.length} of ${total}`);
    }
    const data = rows.map((row) => toUser(row, filters.groups));
    const lastRow = data.at(-1);
    const last = lastRow ? { createdAt: lastRow.createdAt, id: lastRow.id } : start.last;
    return {
      data,
      next: more
        ? { kind: "page", page: page + 1, size: limit, skip: 0, total, ...(last ? { last } : {}) }
        : null,
      total,
      filteredBy: { vendor: vendorFilters(filters), roster: [] },
    };
  },

  /**
   * The first page alone (it tells how many follow), then the rest with
   * `concurrency` pages in flight, yielded strictly in order. Pages fetched
   * ahead wait in the window, so memory stays at about 2 × `concurrency` pages.
   * Every page must report the first page's total and repeat no id of the
   * page before it, and the rows must add up to that total: otherwise users
   * were added or removed meanwhile and the export fails with `list_changed`.
   */
  async *exportUsers({ filters, concurrency, signal, onTotal, onPage }) {
    const controller = childController(signal);
    const settings = upstreamSettings();
    const pacer = new ExportPacer({
      vendor: VENDOR,
      sdk: SDK_ERRORS,
      settings,
      maxConcurrency: concurrency,
      signal: controller.signal,
    });
    // A page's request ends when its body has arrived (`onReceived`); it is parsed and checked
    // once the request started in its place is on the wire (`letCallsOut`): the parsing, and the
    // caller's work with the page, overlap the vendor's latency instead of adding to every round.
    const load = async (page: number, onReceived?: () => void) => {
      const received = pacer.run(() =>
        receivePage(page, EXPORT_PAGE_SIZE, filters, {
          signal: controller.signal,
          maxRetries: 0,
        }),
      );
      if (onReceived) received.then(onReceived, onReceived);
      const body = await received;
      if (onReceived) await letCallsOut();
      const raw = parsePage(body);
      checkEcho(raw, page, EXPORT_PAGE_SIZE);
      return raw;
    };
    type Settled = { ok: true; page: RawPage } | { ok: false; error: unknown };
    const window = new Map<number, Promise<Settled>>();
    try {
      const first = await load(1);
      const total = first.meta.total_results;
      onTotal?.(total);
      onPage?.(pageInfo(first));
      let previous = new Set(first.data.map((row) => row.id));
      let rows = previous.size;
      if (rows !== first.data.length) throw listChanged(VENDOR, "an id repeated on page 1");

      const lastPage = hasMore(first, 1) ? first.meta.total_pages : 1;
      let nextToLoad = 2;
      let inFlight = 0;
      // `pacer.concurrency` requests in flight at every moment: the next one starts as soon as one
      // answers, not once the caller has taken its page (the caller may be busy with a page, or be
      // writing one). Answered pages wait in the window, at most `concurrency` of them.
      const fill = () => {
        while (
          !controller.signal.aborted &&
          nextToLoad <= lastPage &&
          inFlight < pacer.concurrency &&
          window.size < pacer.concurrency + concurrency
        ) {
          inFlight++;
          const received = () => {
            inFlight--;
            fill();
          };
          // Settled promises: a page failing while an earlier one is awaited must not be an unhandled rejection.
          window.set(
            nextToLoad,
            load(nextToLoad, received).then(
              (raw): Settled => ({ ok: true, page: raw }),
              (error: unknown): Settled => ({ ok: false, error }),
            ),
          );
          nextToLoad++;
        }
      };
      fill();
      if (first.data.length > 0) {
        const users = first.data.map((row) => toUser(row, filters.groups));
        // The calls for the next pages on the wire before the caller holds this thread with it.
        if (nextToLoad > 2) await letCallsOut();
        yield users;
      }
      for (let page = 2; page <= lastPage; page++) {
        const settled = await (window.get(page) ??
          load(page).then((raw): Settled => ({ ok: true, page: raw })));
        window.delete(page);
        if (!settled.ok) throw settled.error;
        fill();
        const raw = settled.page;
        onPage?.(pageInfo(raw));
        checkTotal(raw, total, page);
        const ids = new Set<string>();
        for (const row of raw.data) {
          if (previous.has(row.id) || ids.has(row.id))
            throw listChanged(VENDOR, `an id repeated on page ${page}`);
          ids.add(row.id);
        }
        if (raw.data.length === 0) break;
        previous = ids;
        rows += ids.size;
        yield raw.data.map((row) => toUser(row, filters.groups));
      }
      if (rows !== total) throw listChanged(VENDOR, `read ${rows} rows of ${total}`);
    } finally {
      controller.abort();
      // Nothing of this export may still be running once it has ended.
      await Promise.allSettled(window.values());
    }
  },

  /**
   * One `GET /v2/organizations/users/{id}` per id, `concurrency` at a time,
   * stopping at the first user still listed (or the first failure), with
   * nothing left running when it settles.
   */
  async confirmRemoved(ids, { concurrency, signal, filters }) {
    const controller = childController(signal);
    const queue = [...ids];
    const listed: string[] = [];
    const failures: unknown[] = [];
    const worker = async () => {
      while (!controller.signal.aborted) {
        const id = queue.shift();
        if (id === undefined) return;
        try {
          const user = await listedUser(id, controller.signal);
          if (user && inFilteredList(user, filters)) listed.push(id);
        } catch (error) {
          failures.push(error);
        }
        if (listed.length > 0 || failures.length > 0) controller.abort();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    } finally {
      controller.abort();
    }
    if (listed.length > 0) {
      throw listChanged(
        VENDOR,
        `user ${listed[0]} is still listed but no page held it: a page shifted past it`,
      );
    }
    // The first failure; the others are the calls it stopped.
    if (failures.length > 0) throw failures[0];
    signal?.throwIfAborted();
  },

  /** `filter[email]` per address at the largest page size, following its pages (a partial match may fill several). */
  async findUsersByEmail(emails, signal) {
    const users: User[] = [];
    for (const email of emails) {
      for (let page = 1; ; page++) {
        const raw = await fetchPage(page, EXPORT_PAGE_SIZE, { email, groups: false }, { signal });
        users.push(...raw.data.map((row) => toUser(row, false)));
        if (!hasMore(raw, page)) break;
      }
    }
    return users;
  },
};
