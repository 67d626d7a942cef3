import "server-only";

import { rosterSideFilters } from "@/lib/directory/choose-source";

import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "openai";

import { ApiError } from "@/lib/api/errors";
import type { User, UserStatus, UsersFilters } from "@/lib/users/schema";

import type { ListUsersResult, ProviderAdapter, VendorPosition } from "../types";

import { openaiMeta } from "./meta";
import { rawPageSchema, type RawPage, type RawUser } from "./schema";
import {
  childController,
  ExportPacer,
  invalidResponse,
  isoFromMillis,
  letCallsOut,
  listChanged,
  listDeadline,
  readVendorBody,
  requestSignal,
  sdkClient,
  type SdkErrorClasses,
  timedOut,
  toApiError,
  untilAborted,
  upstreamSettings,
  type VendorInfo,
} from "../upstream";

/**
 * OpenAI Admin API `GET /v1/organization/users` (cursor pagination through
 * `after`). The vendor filters neither by status nor by part of an email
 * (`emails` is exact match only), so Roster applies both filters itself while
 * reading on through the vendor's pages, within a scan budget per request.
 */

const VENDOR: VendorInfo = openaiMeta;
const SDK_ERRORS: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};
/** The vendor's largest page: used whenever Roster filters, so a scan reads as few pages as it can. */
const VENDOR_MAX_LIMIT = 100;
/** Vendor pages one list request may read while looking for matches. */
export const OPENAI_SCAN_BUDGET = 10;

/** Documented in the README: banned wins over disabled; anything else is enabled. */
function statusOf(raw: RawUser): UserStatus {
  if (raw.user?.banned) return "blocked";
  if (raw.user?.enabled === false) return "disabled";
  return "enabled";
}

function isoFromUnix(seconds: number | null | undefined): string | null {
  return seconds === null || seconds === undefined ? null : isoFromMillis(seconds * 1000);
}

function toUser(raw: RawUser, groups: boolean): User {
  return {
    id: raw.id,
    provider: "openai",
    email: raw.email ?? raw.user?.email ?? null,
    name: raw.name ?? raw.user?.name ?? null,
    status: statusOf(raw),
    role: raw.role ?? null,
    createdAt: isoFromUnix(raw.added_at),
    lastActiveAt: isoFromUnix(raw.api_key_last_used_at),
    // null when the vendor did not include projects: unknown, not "none".
    groups:
      groups && raw.projects
        ? raw.projects.data.flatMap((p) => (p.id ? [{ id: p.id, name: p.name ?? p.id }] : []))
        : null,
    vendor: raw,
  };
}

function matcher(filters: UsersFilters): (user: User) => boolean {
  const email = filters.email?.toLowerCase();
  return (user) =>
    (!filters.status || user.status === filters.status) &&
    (email === undefined || (user.email?.toLowerCase().includes(email) ?? false));
}

const openaiClient = sdkClient({
  vendor: VENDOR,
  key: (env) => env.OPENAI_ADMIN_KEY,
  build: (adminAPIKey, env, common) =>
    new OpenAI({
      adminAPIKey,
      apiKey: null,
      organization: null,
      project: null,
      baseURL: env.OPENAI_BASE_URL,
      ...common,
    }),
});

async function fetchPage(
  after: string | null,
  limit: number,
  options: { signal?: AbortSignal; maxRetries?: number; emails?: readonly string[] },
): Promise<RawPage> {
  const openai = openaiClient.get();
  try {
    const response = await openai.admin.organization.users
      .list(
        {
          limit,
          ...(after === null ? {} : { after }),
          ...(options.emails ? { emails: [...options.emails] } : {}),
        },
        {
          signal: requestSignal(options.signal),
          ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
        },
      )
      .asResponse();
    return await readVendorBody(response, rawPageSchema, VENDOR);
  } catch (error) {
    // A signed cursor only holds ids the vendor sent; a 404 on `after` means that user left the organization.
    if (after !== null && error instanceof APIError && error.status === 404) throw cursorExpired();
    throw toApiError(error, VENDOR, SDK_ERRORS);
  }
}

function cursorExpired(): ApiError {
  return new ApiError(
    "cursor_expired",
    "The user this list had reached was removed from OpenAI, so the list cannot go on from there. Start again from the top.",
  );
}

/**
 * Whether the vendor still lists a user. An empty page after `after` may mean
 * the end, or that `after` was deleted (the vendor may answer 200 empty rather
 * than 404): only the user's own record tells them apart.
 */
async function userExists(id: string, signal: AbortSignal | undefined): Promise<boolean> {
  const openai = openaiClient.get();
  try {
    await openai.admin.organization.users.retrieve(id, { signal: requestSignal(signal) });
    return true;
  } catch (error) {
    if (error instanceof APIError && error.status === 404) return false;
    throw toApiError(error, VENDOR, SDK_ERRORS);
  }
}

function isLastPage(raw: RawPage): boolean {
  return !raw.has_more || raw.data.length === 0;
}

/** The `after` for the page that follows `raw`, or null at the end; a cursor that does not move on fails instead of looping. */
function nextAfter(raw: RawPage, used: Set<string>): string | null {
  const last = raw.data.at(-1);
  if (isLastPage(raw) || !last) return null;
  if (used.has(last.id)) {
    throw invalidResponse(VENDOR, "openai 200 page did not advance past its `after`");
  }
  used.add(last.id);
  return last.id;
}

export const openaiAdapter: ProviderAdapter = {
  id: "openai",

  isConfigured: openaiClient.isConfigured,

  /**
   * Reads vendor pages from the position until `limit` rows match or the scan
   * budget is spent. The next position is the id of the last row examined, so
   * the next request resumes exactly there, whatever its `limit`.
   */
  async listUsers({ filters, limit, position, signal }): Promise<ListUsersResult> {
    const start: VendorPosition = position ?? { kind: "after", after: null, skip: 0 };
    if (start.kind !== "after")
      throw new ApiError("invalid_cursor", "cursor was not made for OpenAI");
    const roster = rosterSideFilters("openai", filters);
    const matches = matcher(filters);
    const result = (data: User[], next: VendorPosition | null): ListUsersResult => ({
      data,
      next,
      total: null,
      filteredBy: { vendor: [], roster },
    });

    const deadline = listDeadline(signal, upstreamSettings().listDeadlineMs);
    const used = new Set<string>(start.after === null ? [] : [start.after]);
    const found: User[] = [];
    let { after, skip } = start;
    for (let read = 0; read < OPENAI_SCAN_BUDGET; read++) {
      const vendorLimit =
        roster.length > 0
          ? VENDOR_MAX_LIMIT
          : Math.min(VENDOR_MAX_LIMIT, limit - found.length + skip);
      let raw: RawPage;
      try {
        raw = await untilAborted(
          fetchPage(after, vendorLimit, { signal: deadline.signal }),
          deadline.signal,
        );
        if (raw.data.length === 0 && after !== null) {
          const exists = await untilAborted(userExists(after, deadline.signal), deadline.signal);
          if (!exists) throw cursorExpired();
        }
      } catch (error) {
        if (!deadline.expired()) throw error;
        // Out of time: what was found so far, and a cursor at the last user read.
        if (read > 0) return result(found, { kind: "after", after, skip: 0 });
        throw timedOut(VENDOR, "openai list deadline", error);
      }
      const rows = raw.data.slice(skip).map((row) => toUser(row, filters.groups));
      skip = 0;
      for (const [i, user] of rows.entries()) {
        if (!matches(user)) continue;
        found.push(user);
        if (found.length === limit) {
          const more = !isLastPage(raw) || rows.slice(i + 1).some(matches);
          return result(found, more ? { kind: "after", after: user.id, skip: 0 } : null);
        }
      }
      const next = nextAfter(raw, used);
      if (next === null) return result(found, null);
      after = next;
    }
    return result(found, { kind: "after", after, skip: 0 });
  },

  /** Follows the cursor at the vendor's largest page, one page at a time, filtering as it goes. */
  async *exportUsers({ filters, signal, onPage }) {
    const controller = childController(signal);
    const pacer = new ExportPacer({
      vendor: VENDOR,
      sdk: SDK_ERRORS,
      settings: upstreamSettings(),
      maxConcurrency: 1,
      signal: controller.signal,
    });
    const matches = matcher(filters);
    const load = (after: string | null): Promise<RawPage> => {
      const page = pacer
        .run(() => fetchPage(after, VENDOR_MAX_LIMIT, { signal: controller.signal, maxRetries: 0 }))
        .then(async (raw) => {
          // An empty page after a user the previous page listed: the end, or that user was deleted.
          if (after !== null && raw.data.length === 0) {
            const exists = await pacer.run(() => userExists(after, controller.signal));
            if (!exists) throw cursorExpired();
          }
          return raw;
        });
      // Awaited below; this only keeps an abandoned prefetch from being an unhandled rejection.
      page.catch(() => {});
      return page;
    };
    const used = new Set<string>();
    let pending: Promise<RawPage> | null = null;
    try {
      let after: string | null = null;
      pending = load(after);
      while (pending) {
        let raw: RawPage;
        try {
          raw = await pending;
        } catch (error) {
          if (error instanceof ApiError && error.code === "cursor_expired") {
            throw listChanged(VENDOR, "the user the export had reached was removed");
          }
          throw error;
        }
        onPage?.({
          rows: raw.data.length,
          marker: {
            after,
            has_more: raw.has_more,
            first_id: raw.first_id ?? null,
            last_id: raw.last_id ?? null,
          },
        });
        // The cursor is known as soon as a page arrives: ask for the next one
        // while this one is mapped and written, so the vendor's latency is the
        // only wait. At most one page is read ahead.
        const next = nextAfter(raw, used);
        after = next;
        pending = next === null ? null : load(next);
        const users = raw.data.map((row) => toUser(row, filters.groups)).filter(matches);
        // That call on the wire before the caller holds this thread with the page.
        if (pending) await letCallsOut();
        if (users.length > 0) yield users;
      }
    } finally {
      controller.abort();
      // Nothing of this export may still be running once it has ended.
      await pending?.catch(() => {});
    }
  },

  /** The exact `emails[]` filter, following `after` should the vendor ever page the answer. */
  async findUsersByEmail(emails, signal) {
    const users: User[] = [];
    if (emails.length === 0) return users;
    let after: string | null = null;
    for (;;) {
      const raw: RawPage = await fetchPage(after, VENDOR_MAX_LIMIT, { signal, emails });
      users.push(...raw.data.map((row) => toUser(row, false)));
      const last = raw.data.at(-1);
      if (isLastPage(raw) || !last) return users;
      after = last.id;
    }
  },
};
