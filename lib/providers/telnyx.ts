import "server-only";

import Telnyx, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "telnyx";
import { z } from "zod";

import { ApiError } from "@/lib/api/errors";
import { serverEnv, type Env } from "@/lib/server-env";
import { USER_STATUSES, type FilterName, type User, type UsersFilters } from "@/lib/users/schema";

import type { ProviderAdapter, VendorPosition } from "./types";
import {
  ExportPacer,
  childController,
  notConfigured,
  readVendorBody,
  requestSignal,
  toApiError,
  upstreamFetch,
  upstreamSettings,
  type SdkErrorClasses,
  type VendorInfo,
} from "./upstream";

/** Telnyx `GET /v2/organizations/users` (page-number pagination with `meta`). */

const VENDOR: VendorInfo = { id: "telnyx", label: "Telnyx", keyVar: "TELNYX_API_KEY" };
const SDK_ERRORS: SdkErrorClasses = {
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
};
/** The vendor's largest page, used by the export. */
const EXPORT_PAGE_SIZE = 250;

const isoDate = z.iso.datetime({ offset: true });

const rawUserSchema = z.looseObject({
  id: z.string().min(1),
  record_type: z.string(),
  email: z.string().nullish(),
  user_status: z.enum(USER_STATUSES),
  organization_user_bypasses_sso: z.boolean().optional(),
  created_at: isoDate.nullish(),
  last_sign_in_at: isoDate.nullish(),
  groups: z.array(z.looseObject({ id: z.string(), name: z.string() })).optional(),
});
type RawUser = z.infer<typeof rawUserSchema>;

const count = z.int().nonnegative();
const rawPageSchema = z.looseObject({
  data: z.array(rawUserSchema),
  meta: z.looseObject({
    total_pages: count,
    total_results: count,
    page_number: count,
    page_size: count.optional(),
  }),
});
type RawPage = z.infer<typeof rawPageSchema>;

const ROLES: Record<string, string> = {
  organization_owner: "owner",
  organization_sub_user: "member",
};

function toUser(raw: RawUser, groups: boolean): User {
  return {
    id: raw.id,
    provider: "telnyx",
    email: raw.email ?? null,
    name: null,
    status: raw.user_status,
    role: ROLES[raw.record_type] ?? raw.record_type,
    createdAt: raw.created_at ? new Date(raw.created_at).toISOString() : null,
    lastActiveAt: raw.last_sign_in_at ? new Date(raw.last_sign_in_at).toISOString() : null,
    groups: groups && raw.groups ? raw.groups.map(({ id, name }) => ({ id, name })) : null,
    vendor: raw,
  };
}

let cached: { env: Env; client: Telnyx } | undefined;

/** Built per validated env (tests re-point it with `resetEnvCache`), never with the SDK's own env defaults. */
function client(): Telnyx {
  const env = serverEnv();
  if (!env.TELNYX_API_KEY) throw notConfigured(VENDOR);
  if (cached?.env !== env) {
    const settings = upstreamSettings();
    cached = {
      env,
      client: new Telnyx({
        apiKey: env.TELNYX_API_KEY,
        // Set explicitly: with these from the environment the SDK would fetch an OAuth token from api.telnyx.com.
        clientID: null,
        clientSecret: null,
        publicKey: null,
        baseURL: env.TELNYX_BASE_URL,
        timeout: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        fetch: upstreamFetch(settings),
        logLevel: "off",
      }),
    };
  }
  return cached.client;
}

async function fetchPage(
  page: number,
  size: number,
  filters: UsersFilters,
  options: { signal?: AbortSignal; maxRetries?: number },
): Promise<RawPage> {
  const telnyx = client();
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
    return await readVendorBody(response, rawPageSchema, VENDOR);
  } catch (error) {
    throw toApiError(error, VENDOR, SDK_ERRORS);
  }
}

function vendorFilters(filters: UsersFilters): FilterName[] {
  return [
    ...(filters.status ? ["status" as const] : []),
    ...(filters.email ? ["email" as const] : []),
  ];
}

function hasMore(raw: RawPage, page: number): boolean {
  return raw.data.length > 0 && page < raw.meta.total_pages;
}

export const telnyxAdapter: ProviderAdapter = {
  id: "telnyx",
  envVars: ["TELNYX_API_KEY", "TELNYX_BASE_URL"],

  isConfigured: () => Boolean(serverEnv().TELNYX_API_KEY),

  async listUsers({ filters, limit, position, signal }) {
    const start: VendorPosition = position ?? { kind: "page", page: 1, size: limit, skip: 0 };
    if (start.kind !== "page")
      throw new ApiError("invalid_cursor", "cursor was not made for Telnyx");
    // The position as an offset, so that `limit` may differ from the page size it was made with.
    const offset = (start.page - 1) * start.size + start.skip;
    const page = Math.floor(offset / limit) + 1;
    const raw = await fetchPage(page, limit, filters, { signal });
    return {
      data: raw.data.slice(offset % limit).map((row) => toUser(row, filters.groups)),
      next: hasMore(raw, page) ? { kind: "page", page: page + 1, size: limit, skip: 0 } : null,
      total: raw.meta.total_results,
      filteredBy: { vendor: vendorFilters(filters), roster: [] },
    };
  },

  /**
   * The first page alone (it tells how many follow), then the rest with up to
   * `concurrency` pages in flight, yielded strictly in order. Pages fetched
   * ahead wait in the window, so memory stays at about `concurrency` pages.
   */
  async *exportUsers({ filters, concurrency, signal, onTotal }) {
    const controller = childController(signal);
    const settings = upstreamSettings();
    const pacer = new ExportPacer({
      vendor: VENDOR,
      sdk: SDK_ERRORS,
      settings,
      maxConcurrency: concurrency,
      signal: controller.signal,
    });
    const load = (page: number) =>
      pacer.run(() =>
        fetchPage(page, EXPORT_PAGE_SIZE, filters, { signal: controller.signal, maxRetries: 0 }),
      );
    type Settled = { ok: true; page: RawPage } | { ok: false; error: unknown };
    const window = new Map<number, Promise<Settled>>();
    try {
      const first = await load(1);
      onTotal?.(first.meta.total_results);
      if (first.data.length > 0) yield first.data.map((row) => toUser(row, filters.groups));
      if (!hasMore(first, 1)) return;

      let lastPage = first.meta.total_pages;
      let nextToLoad = 2;
      for (let page = 2; page <= lastPage; page++) {
        while (nextToLoad <= lastPage && window.size < pacer.concurrency) {
          // Settled promises: a page failing while an earlier one is awaited must not be an unhandled rejection.
          window.set(
            nextToLoad,
            load(nextToLoad).then(
              (raw): Settled => ({ ok: true, page: raw }),
              (error: unknown): Settled => ({ ok: false, error }),
            ),
          );
          nextToLoad++;
        }
        const settled = await (window.get(page) ??
          load(page).then((raw): Settled => ({ ok: true, page: raw })));
        window.delete(page);
        if (!settled.ok) throw settled.error;
        if (settled.page.data.length === 0) return;
        yield settled.page.data.map((row) => toUser(row, filters.groups));
        // Users added meanwhile may add pages; never plan fewer than first announced.
        lastPage = Math.max(lastPage, settled.page.meta.total_pages);
      }
    } finally {
      controller.abort();
    }
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
