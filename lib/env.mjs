// @ts-check
/**
 * The one place that reads Roster's environment. It is plain JavaScript so that
 * `next.config.mjs` can import it and stop `next build` / `next start` with a
 * message naming the bad variable, before any request is served.
 *
 * Server code imports `serverEnv()` from here (through `lib/server-env.ts`,
 * which adds `server-only`); nothing under `components/` may import it.
 */
import { z } from "zod";

import { parseAdmins } from "./auth/admins.mjs";

const emptyToUndefined = (/** @type {unknown} */ value) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const URL_RULE = "must be an absolute URL, starting with https:// or http://";
const optionalUrl = z.preprocess(emptyToUndefined, z.url(URL_RULE).optional());
const intInRange = (
  /** @type {number} */ min,
  /** @type {number} */ max,
  /** @type {number} */ fallback,
) => {
  const rule = `must be an integer from ${min} to ${max}`;
  // The rule for "15s" too, rather than zod's "expected number, received NaN".
  return z.preprocess(
    emptyToUndefined,
    z.coerce.number(rule).int(rule).min(min, rule).max(max, rule).default(fallback),
  );
};

/**
 * Whether `value` reads as one URL with the user name and password where they
 * seem to be. A password with `@`, `:`, `/` or `#` left as is either does not
 * parse ("Invalid URL" at start) or moves the host into the path or fragment
 * (a connection to the wrong host); no connection URL has a fragment or an `@`
 * after its host.
 * @param {string} value
 */
const isConnectionUrl = (value) => {
  try {
    const url = new URL(value);
    return url.hash === "" && !`${url.pathname}${url.search}`.includes("@");
  } catch {
    return false;
  }
};

const TRUST_PROXY_RULE = "must be true, false or a hop count from 0 to 10";

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

    TELNYX_API_KEY: optionalString,
    TELNYX_BASE_URL: z.preprocess(
      emptyToUndefined,
      z.url(URL_RULE).default("https://api.telnyx.com/v2"),
    ),
    OPENAI_ADMIN_KEY: optionalString,
    OPENAI_BASE_URL: z.preprocess(
      emptyToUndefined,
      z.url(URL_RULE).default("https://api.openai.com/v1"),
    ),

    /** Per-attempt timeout for vendor calls. */
    UPSTREAM_TIMEOUT_MS: intInRange(100, 120_000, 15_000),
    /** Retries after the first attempt, on 408/409/429/5xx and network errors. */
    UPSTREAM_MAX_RETRIES: intInRange(0, 10, 2),
    /** Longest `Retry-After` Roster will wait inside one request before giving up with 503. */
    UPSTREAM_MAX_RETRY_WAIT_MS: intInRange(0, 60_000, 5_000),
    /** Overall budget of one list request (all its vendor pages and retries); past it the rows so far come back with a cursor. */
    UPSTREAM_LIST_DEADLINE_MS: intInRange(1_000, 300_000, 25_000),
    /** Vendor pages fetched at once by the CSV export (Telnyx). */
    EXPORT_CONCURRENCY: intInRange(1, 16, 4),
    /** Addresses per OpenAI `emails[]` call in the offboarding check (the vendor's page holds 100). */
    OFFBOARDING_OPENAI_BATCH_SIZE: intInRange(1, 100, 100),
    /** CSV exports one admin may run at once; more get 429 `too_many_exports`. */
    EXPORT_MAX_PER_ADMIN: intInRange(1, 100, 2),
    /** CSV exports this instance runs at once, all admins together. */
    EXPORT_MAX_TOTAL: intInRange(1, 1000, 8),

    /**
     * A PostgreSQL server (`postgres://user:pass@host:5432/db`) shared by every instance.
     * Unset: the embedded PGlite database in ROSTER_DATA_DIR. Never echoed: it holds a password.
     */
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\/[^\s]+$/, "must be a postgres:// or postgresql:// URL")
        .refine(
          isConnectionUrl,
          "is not a valid URL: percent-encode special characters in the user name and password (@ as %40, : as %3A, / as %2F, # as %23)",
        )
        .optional(),
    ),
    /** Minutes between directory syncs of each configured vendor while the server runs; 0 = never. */
    SYNC_INTERVAL_MINUTES: intInRange(0, 7 * 24 * 60, 15),
    /** Days the activity log keeps entries; older ones are pruned, the chain anchored at the last one pruned. */
    ACTIVITY_RETENTION_DAYS: intInRange(1, 36_500, 400),
    /** Where the embedded database lives when DATABASE_URL is unset. */
    ROSTER_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".roster")),

    /** People: an enabled account unused for this many days is `dormant`. */
    DORMANT_DAYS: intInRange(1, 3650, 90),
    /** People: comma-separated domains of the company's own addresses; others are `external`. Unset: no such flag. */
    COMPANY_DOMAINS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .transform((value) =>
          value
            .split(",")
            .map((domain) => domain.trim().toLowerCase())
            .filter((domain) => domain !== ""),
        )
        .pipe(
          z.array(
            z
              .string()
              .regex(
                /^[a-z0-9.-]+\.[a-z0-9-]+$/,
                "must be domains such as example.com, separated by commas",
              ),
          ),
        )
        .optional(),
    ),

    NEXTAUTH_SECRET: optionalString,
    NEXTAUTH_URL: optionalUrl,
    /** Credentials admins: `email=hash` entries separated by commas (hashes from `npm run hash-password`). */
    ROSTER_ADMINS: optionalString.superRefine((value, ctx) => {
      try {
        parseAdmins(value);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }),
    /**
     * Reverse proxies in front of Roster that append to X-Forwarded-For (0 = none).
     * The sign-in throttle takes the client address that many entries from the
     * right; with 0, X-Forwarded-For is whatever reached Next.js (see lib/auth/client-address.ts).
     */
    TRUST_PROXY: z.preprocess((value) => {
      const text = typeof value === "string" ? value.trim().toLowerCase() : value;
      if (text === "true") return "1";
      if (text === "false") return "0";
      return emptyToUndefined(text);
    }, z.coerce.number(TRUST_PROXY_RULE).int(TRUST_PROXY_RULE).min(0, TRUST_PROXY_RULE).max(10, TRUST_PROXY_RULE).default(0)),
    /** Session lifetime in seconds (default 8 hours). */
    SESSION_MAX_AGE: intInRange(60, 30 * 24 * 3600, 8 * 3600),
    OIDC_ISSUER: optionalUrl,
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    /** Comma-separated emails allowed in through single sign-on. */
    OIDC_ALLOWED_EMAILS: optionalString,
    /** Comma-separated email domains allowed in through single sign-on. */
    OIDC_ALLOWED_DOMAINS: optionalString,
    /** `true` lets in addresses the identity provider does not mark verified (on purpose only). */
    OIDC_TRUST_UNVERIFIED_EMAIL: z.preprocess(
      emptyToUndefined,
      z.enum(["true", "false"], "must be true or false").default("false"),
    ),
  })
  .superRefine((env, ctx) => {
    const oidc = /** @type {const} */ (["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]);
    const set = oidc.filter((name) => env[name] !== undefined);
    if (set.length > 0 && set.length < oidc.length) {
      for (const name of oidc.filter((n) => env[n] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `is required when ${set.join(" and ")} is set (single sign-on needs all three)`,
        });
      }
    }
    if (set.length === oidc.length && !env.OIDC_ALLOWED_EMAILS && !env.OIDC_ALLOWED_DOMAINS) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ALLOWED_EMAILS"],
        message:
          "or OIDC_ALLOWED_DOMAINS is required with single sign-on: it decides who may enter",
      });
    }
  });

/** @typedef {z.infer<typeof envSchema>} Env */

/**
 * Validates `source` and returns the typed env, or throws an Error whose
 * message names every bad variable and its rule.
 * @param {Record<string, string | undefined>} [source]
 * @returns {Env}
 */
export function parseEnv(source = process.env) {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  - ${issue.path.join(".") || "(env)"}: ${issue.message}`,
  );
  throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
}

/** @type {Env | undefined} */
let cached;

/**
 * The validated env, parsed once per process.
 * @returns {Env}
 */
export function serverEnv() {
  cached ??= parseEnv();
  return cached;
}

/** Forget the cached env; for tests that change `process.env`. */
export function resetEnvCache() {
  cached = undefined;
}
