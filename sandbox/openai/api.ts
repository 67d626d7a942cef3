/**
 * OpenAI Admin API `/v1/organization/users*` as described in shared/UPSTREAM.md.
 * Cursor paging resolves `after` through an id index; the `emails` filter is
 * an exact (case-insensitive) lookup, so no request scans the whole list.
 */
import type { OpenAIUser } from "../data";
import { decodeSegment, json, type Reply, type VendorRequest } from "../http";

export const OPENAI_MAX_LIMIT = 100;
export const OPENAI_DEFAULT_LIMIT = 20;

export type UnknownAfter = "404" | "empty";

export function openaiError(
  status: number,
  message: string,
  fields: { type?: string; param?: string | null; code?: string | null } = {},
  headers?: Record<string, string>,
): Reply {
  return json(
    status,
    {
      error: {
        message,
        type: fields.type ?? "invalid_request_error",
        param: fields.param ?? null,
        code: fields.code ?? null,
      },
    },
    headers,
  );
}

export const OPENAI_FAULT_REPLIES = {
  429: () =>
    openaiError(429, "Rate limit reached for requests. Please try again later.", {
      type: "requests",
      code: "rate_limit_exceeded",
    }),
  500: () =>
    openaiError(500, "The server had an error while processing your request. Sorry about that!", {
      type: "server_error",
    }),
  503: () =>
    openaiError(503, "The server is overloaded or not ready yet.", {
      type: "server_error",
      code: "service_unavailable",
    }),
} as const;

/** The way OpenAI echoes a wrong key: first 8 characters, stars, last 4. Short keys are not echoed. */
export function maskKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}****${key.slice(-4)}` : "****";
}

function limitError(message: string, code: string): Reply {
  return openaiError(400, `Invalid 'limit': ${message}`, { param: "limit", code });
}

export class OpenAIApi {
  private readonly keys: Set<string>;
  private readonly byId = new Map<string, number>();
  private readonly byEmail = new Map<string, number[]>();

  constructor(
    private readonly users: OpenAIUser[],
    keys: readonly string[],
    private readonly unknownAfter: UnknownAfter,
  ) {
    this.keys = new Set(keys);
    this.reindex();
  }

  /** Rebuilds the id and email indexes from the users array; called again after each mutation of it. */
  reindex(): void {
    this.byId.clear();
    this.byEmail.clear();
    this.users.forEach((u, i) => {
      this.byId.set(u.id, i);
      if (typeof u.email === "string") {
        const key = u.email.toLowerCase();
        const list = this.byEmail.get(key);
        if (list) list.push(i);
        else this.byEmail.set(key, [i]);
      }
    });
  }

  handle(req: VendorRequest): Reply {
    const auth = this.authenticate(req.token);
    if (auth) return auth;
    const match = /^\/v1\/organization\/users(?:\/([^/]+))?$/.exec(req.pathname);
    if (req.method !== "GET" || !match) {
      return openaiError(404, `Invalid URL (${req.method} ${req.pathname})`);
    }
    const segment = match[1];
    if (segment === undefined) return this.list(req.query);
    const id = decodeSegment(segment);
    return id === null
      ? openaiError(404, `Invalid URL (${req.method} ${req.pathname})`)
      : this.retrieve(id);
  }

  private authenticate(token: VendorRequest["token"]): Reply | null {
    if (!token.present) {
      return openaiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      );
    }
    if (this.keys.has(token.token)) return null;
    return openaiError(
      401,
      `Incorrect API key provided: ${maskKey(token.token)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      { code: "invalid_api_key" },
    );
  }

  private parseLimit(raw: string | null): number | Reply {
    if (raw === null) return OPENAI_DEFAULT_LIMIT;
    if (!/^-?\d{1,15}$/.test(raw)) {
      return limitError(
        `expected an integer, but got '${raw.slice(0, 40)}' instead.`,
        "invalid_type",
      );
    }
    const value = Number(raw);
    if (value < 1) {
      return limitError(
        `integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
        "integer_below_min_value",
      );
    }
    if (value > OPENAI_MAX_LIMIT) {
      return limitError(
        `integer above maximum value. Expected a value <= ${OPENAI_MAX_LIMIT}, but got ${value} instead.`,
        "integer_above_max_value",
      );
    }
    return value;
  }

  private list(query: URLSearchParams): Reply {
    const limit = this.parseLimit(query.get("limit"));
    if (typeof limit !== "number") return limit;

    // `emails[]=a` (the SDKs, via qs) and `emails=a` (OpenAPI-style clients); `emails[0]=a` too.
    const emails: string[] = [];
    for (const [key, value] of query) if (/^emails(\[\d*\])?$/.test(key)) emails.push(value);

    const after = query.get("after") || null;
    let afterIndex = -1;
    if (after !== null) {
      const found = this.byId.get(after);
      if (found === undefined) {
        if (this.unknownAfter === "404")
          return openaiError(404, "Resource not found.", { param: "after" });
        return this.page([]);
      }
      afterIndex = found;
    }

    if (emails.length === 0) {
      const start = afterIndex + 1;
      return this.page(this.users.slice(start, start + limit), start + limit < this.users.length);
    }
    const matches = [
      ...new Set(emails.flatMap((e) => this.byEmail.get(e.toLowerCase()) ?? [])),
    ].sort((a, b) => a - b);
    const start = matches.findIndex((i) => i > afterIndex);
    if (start === -1) return this.page([]);
    const slice = matches.slice(start, start + limit).flatMap((i) => this.users[i] ?? []);
    return this.page(slice, start + limit < matches.length);
  }

  private page(data: OpenAIUser[], hasMore = false): Reply {
    return json(200, {
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: hasMore,
    });
  }

  private retrieve(id: string): Reply {
    const index = this.byId.get(id);
    const user = index === undefined ? undefined : this.users[index];
    return user ? json(200, user) : openaiError(404, `No such User: ${id}`, { param: "user_id" });
  }
}
