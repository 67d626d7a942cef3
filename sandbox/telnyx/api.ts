/**
 * Telnyx `/v2/organizations/users*` as described in shared/UPSTREAM.md.
 * Indexes are built once; a page request slices or, with an email filter,
 * searches a substring index (built on the first filtered request) and caches
 * the match list for the pages that follow.
 */
import { TELNYX_USER_STATUSES, type TelnyxUser, type TelnyxUserStatus } from "../data";
import { decodeSegment, json, parseDecimal, type Reply, type VendorRequest } from "../http";
import { SubstringIndex } from "../substring-index";

export const TELNYX_MAX_PAGE_SIZE = 250;
/** Informational: the headers count down, but only faults (quota, rate429) produce 429s. */
export const TELNYX_RATE_LIMIT = 1000;
const RATE_WINDOW_MS = 60_000;
const FILTER_CACHE_SIZE = 64;

const ERRORS = {
  400: {
    code: "10015",
    title: "Bad Request",
    detail: "The request failed because it was not well-formed.",
  },
  401: {
    code: "10009",
    title: "Authentication failed",
    detail: "Could not understand the provided credentials.",
  },
  404: {
    code: "10005",
    title: "Resource not found",
    detail: "The requested resource or URL could not be found.",
  },
  429: {
    code: "10011",
    title: "Too many requests",
    detail: "You have exceeded the maximum number of allowed requests.",
  },
  500: { code: "10007", title: "Unexpected error", detail: "An unexpected error has occurred." },
  503: {
    code: "10007",
    title: "Unexpected error",
    detail: "The service is temporarily unavailable.",
  },
} as const;

export type TelnyxErrorStatus = keyof typeof ERRORS;

export function telnyxError(
  status: TelnyxErrorStatus,
  extra?: { detail?: string; parameter?: string },
): Reply {
  const e = ERRORS[status];
  return json(status, {
    errors: [
      {
        code: e.code,
        title: e.title,
        detail: extra?.detail ? `${e.detail} ${extra.detail}` : e.detail,
        ...(status === 400
          ? {
              source: { pointer: "/", ...(extra?.parameter ? { parameter: extra.parameter } : {}) },
            }
          : {}),
        meta: { url: `https://developers.telnyx.com/docs/overview/errors/${e.code}` },
      },
    ],
  });
}

function badParam(parameter: string, rule: string): Reply {
  return telnyxError(400, { parameter, detail: `Invalid value for ${parameter}: ${rule}.` });
}

type WireUser = Omit<TelnyxUser, "groups"> & { groups?: TelnyxUser["groups"] };

function toWire(u: TelnyxUser, includeGroups: boolean): WireUser {
  const wire: WireUser = {
    id: u.id,
    record_type: u.record_type,
    email: u.email,
    user_status: u.user_status,
    organization_user_bypasses_sso: u.organization_user_bypasses_sso,
    created_at: u.created_at,
    last_sign_in_at: u.last_sign_in_at,
  };
  if (includeGroups) wire.groups = u.groups.map((g) => ({ id: g.id, name: g.name }));
  return wire;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export class TelnyxApi {
  private readonly keys: Set<string>;
  private byStatus: Record<TelnyxUserStatus, number[]> = { enabled: [], disabled: [], blocked: [] };
  private emailsLower: string[] = [];
  /** Built on the first email filter after a (re)index: most runs never filter. */
  private emailIndex: SubstringIndex | null = null;
  private readonly byId = new Map<string, number>();
  private readonly filterCache = new Map<string, number[]>();
  /** Per key: a 60 s window opened by its first request. */
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly users: TelnyxUser[],
    keys: readonly string[],
  ) {
    this.keys = new Set(keys);
    this.reindex();
  }

  /** Rebuilds every index from the users array; called again after each mutation of it. */
  reindex(): void {
    this.byStatus = { enabled: [], disabled: [], blocked: [] };
    this.emailsLower = this.users.map((u) => u.email.toLowerCase());
    this.emailIndex = null;
    this.byId.clear();
    this.filterCache.clear();
    this.users.forEach((u, i) => {
      this.byStatus[u.user_status].push(i);
      this.byId.set(u.id, i);
    });
  }

  /** Counts the request in its key's rate window and returns the x-ratelimit-* headers. */
  rateLimitHeaders(
    key: string,
    quota: { limit: number; remaining: number } | null,
  ): Record<string, string> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= RATE_WINDOW_MS) {
      if (this.windows.size > 10_000) {
        for (const [k, w] of this.windows)
          if (now - w.start >= RATE_WINDOW_MS) this.windows.delete(k);
      }
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const reset = Math.max(1, Math.ceil((window.start + RATE_WINDOW_MS - now) / 1000));
    return {
      "x-ratelimit-limit": String(quota?.limit ?? TELNYX_RATE_LIMIT),
      "x-ratelimit-remaining": String(
        quota?.remaining ?? Math.max(0, TELNYX_RATE_LIMIT - window.count),
      ),
      "x-ratelimit-reset": String(reset),
    };
  }

  handle(req: VendorRequest): Reply {
    if (!this.keys.has(req.token.token)) return telnyxError(401);
    const match = /^\/v2\/organizations\/users(?:\/([^/]+))?$/.exec(req.pathname);
    if (req.method !== "GET" || !match) return telnyxError(404);
    const segment = match[1];
    if (segment === undefined) return this.list(req.query);
    if (segment === "users_groups_report") return this.report(req.accept);
    const id = decodeSegment(segment);
    return id === null ? telnyxError(404) : this.retrieve(id, req.query);
  }

  private includeGroups(query: URLSearchParams): boolean | Reply {
    const value = query.get("include_groups");
    if (value === null || value === "false") return false;
    if (value === "true") return true;
    return badParam("include_groups", "must be true or false");
  }

  private list(query: URLSearchParams): Reply {
    const pageNumber = this.intParam(query, "page[number]", 1, Number.MAX_SAFE_INTEGER, 1);
    if (typeof pageNumber !== "number") return pageNumber;
    const pageSize = this.intParam(
      query,
      "page[size]",
      1,
      TELNYX_MAX_PAGE_SIZE,
      TELNYX_MAX_PAGE_SIZE,
    );
    if (typeof pageSize !== "number") return pageSize;
    const includeGroups = this.includeGroups(query);
    if (typeof includeGroups !== "boolean") return includeGroups;

    const status = query.get("filter[user_status]");
    if (status !== null && !TELNYX_USER_STATUSES.includes(status as TelnyxUserStatus)) {
      return badParam("filter[user_status]", `must be one of ${TELNYX_USER_STATUSES.join(", ")}`);
    }
    const email = query.get("filter[email]") ?? "";
    const matches = this.matching(status as TelnyxUserStatus | null, email.toLowerCase());
    const total = matches ? matches.length : this.users.length;
    const start = (pageNumber - 1) * pageSize;
    const end = Math.min(start + pageSize, total);
    const data: WireUser[] = [];
    for (let i = start; i < end; i++) {
      const index = matches ? matches[i] : i;
      const user = index === undefined ? undefined : this.users[index];
      if (user) data.push(toWire(user, includeGroups));
    }
    return json(200, {
      data,
      meta: {
        total_pages: Math.ceil(total / pageSize),
        total_results: total,
        page_number: pageNumber,
        page_size: pageSize,
      },
    });
  }

  /** Indices (in vendor order) of the users that pass the filters; null means "all". */
  private matching(status: TelnyxUserStatus | null, email: string): number[] | null {
    if (email === "") return status ? this.byStatus[status] : null;
    const cacheKey = `${status ?? ""}\n${email}`;
    const cached = this.filterCache.get(cacheKey);
    if (cached) {
      // Refresh its place so the cache evicts least recently used first.
      this.filterCache.delete(cacheKey);
      this.filterCache.set(cacheKey, cached);
      return cached;
    }
    this.emailIndex ??= new SubstringIndex(this.emailsLower);
    const users = this.users;
    const found = status
      ? this.emailIndex.find(email, (i) => users[i]?.user_status === status)
      : this.emailIndex.find(email);
    this.filterCache.set(cacheKey, found);
    if (this.filterCache.size > FILTER_CACHE_SIZE) {
      const oldest = this.filterCache.keys().next().value;
      if (oldest !== undefined) this.filterCache.delete(oldest);
    }
    return found;
  }

  private intParam(
    query: URLSearchParams,
    name: string,
    min: number,
    max: number,
    fallback: number,
  ): number | Reply {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = parseDecimal(raw);
    if (value === null || value < min || value > max) {
      return badParam(
        name,
        max === Number.MAX_SAFE_INTEGER
          ? `must be an integer >= ${min}`
          : `must be an integer from ${min} to ${max}`,
      );
    }
    return value;
  }

  private retrieve(id: string, query: URLSearchParams): Reply {
    const includeGroups = this.includeGroups(query);
    if (typeof includeGroups !== "boolean") return includeGroups;
    const index = this.byId.get(id);
    const user = index === undefined ? undefined : this.users[index];
    return user ? json(200, { data: toWire(user, includeGroups) }) : telnyxError(404);
  }

  private report(accept: string): Reply {
    if (accept.toLowerCase().includes("text/csv")) {
      const lines = ["id,email,user_status,created_at,last_sign_in_at,groups"];
      for (const u of this.users) {
        const groups = `"${u.groups
          .map((g) => g.name)
          .join(",")
          .replaceAll('"', '""')}"`;
        lines.push(
          [
            u.id,
            csvField(u.email),
            u.user_status,
            u.created_at,
            u.last_sign_in_at ?? "",
            groups,
          ].join(","),
        );
      }
      return {
        status: 200,
        body: `${lines.join("\r\n")}\r\n`,
        contentType: "text/csv; charset=utf-8",
      };
    }
    return json(200, { data: this.users.map((u) => toWire(u, true)) });
  }
}
