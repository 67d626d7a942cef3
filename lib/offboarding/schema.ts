/**
 * The offboarding check's contract, shared by the route (which parses requests
 * with it) and the page (which types and parses responses with it). No server imports.
 */
import { z } from "zod/mini";

import { providerIdSchema, userStatusSchema, type ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";
import { formatCount } from "@/lib/users/format-count";

/** Entries one check may hold (before duplicates are merged). */
export const MAX_ADDRESSES = 1000;
/** Room for 1,000 entries of a long `Name <address>` each; anything larger is refused unread. */
export const MAX_CHECK_BODY_BYTES = 512 * 1024;
/** Asks the route for progress as NDJSON (`StreamEvent` lines) instead of one JSON answer. */
export const NDJSON_TYPE = "application/x-ndjson";

export const checkRequestSchema = z.strictObject({
  emails: z.array(z.string()),
  /** Only these vendors (a retry of the ones that failed); default: every vendor. */
  providers: z.optional(z.array(providerIdSchema)),
});
export type CheckRequest = z.infer<typeof checkRequestSchema>;

export const accountSchema = z.object({
  status: userStatusSchema,
  role: z.nullable(z.string()),
  id: z.string(),
  /** ISO 8601 UTC: Telnyx `last_sign_in_at`, OpenAI `api_key_last_used_at`. */
  lastActiveAt: z.nullable(z.string()),
});
export type Account = z.infer<typeof accountSchema>;

export const checkResultSchema = z.object({
  email: z.string(),
  /** null: not found, or not checked when `failed` names this address and vendor. */
  telnyx: z.nullable(accountSchema),
  openai: z.nullable(accountSchema),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const invalidEntrySchema = z.object({ input: z.string(), reason: z.string() });
export type InvalidEntry = z.infer<typeof invalidEntrySchema>;

export const duplicateSchema = z.object({ email: z.string(), count: z.number() });
export type Duplicate = z.infer<typeof duplicateSchema>;

export const failedLookupSchema = z.object({
  email: z.string(),
  provider: providerIdSchema,
  /** The API error code the lookup failed with (e.g. `upstream_unavailable`). */
  code: z.string(),
});
export type FailedLookup = z.infer<typeof failedLookupSchema>;

export const checkResponseSchema = z.object({
  checkedAt: z.string(),
  /** The vendors this check asked. */
  checked: z.array(providerIdSchema),
  results: z.array(checkResultSchema),
  /** The checked addresses that have a person page in the directory (lower case). */
  people: z.optional(z.array(z.string())),
  invalid: z.array(invalidEntrySchema),
  duplicates: z.array(duplicateSchema),
  failed: z.array(failedLookupSchema),
});
export type CheckResponse = z.infer<typeof checkResponseSchema>;

/** One NDJSON line of a streamed check: a start, progress, then exactly one `done` or `error`. */
export const streamEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), total: z.number() }),
  z.object({ type: z.literal("progress"), checked: z.number(), total: z.number() }),
  z.object({ type: z.literal("done"), result: checkResponseSchema }),
  z.object({
    type: z.literal("error"),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type StreamEvent = z.infer<typeof streamEventSchema>;

type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The request body, or a message naming what is wrong with it. */
export function parseCheckRequest(body: unknown): ParseResult<CheckRequest> {
  const parsed = checkRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") ?? "";
    if (where.startsWith("providers")) {
      return {
        ok: false,
        message: `providers must be a list of ${PROVIDER_IDS.join(", ")}`,
      };
    }
    if (issue?.code === "unrecognized_keys") {
      return { ok: false, message: "the body takes only emails and providers" };
    }
    return { ok: false, message: 'the body must be {"emails": ["address", ...]}' };
  }
  const { emails } = parsed.data;
  if (emails.length === 0) return { ok: false, message: "emails must hold at least one address" };
  if (emails.length > MAX_ADDRESSES) {
    return {
      ok: false,
      message: `emails may hold at most ${formatCount(MAX_ADDRESSES)} addresses; got ${formatCount(emails.length)}`,
    };
  }
  if (parsed.data.providers?.length === 0) {
    return { ok: false, message: "providers, when given, must name at least one vendor" };
  }
  return { ok: true, value: parsed.data };
}

/** Still has access: an enabled account. Disabled and blocked accounts cannot sign in. */
export function hasAccess(account: Account | null): boolean {
  return account?.status === "enabled";
}

export interface CheckSummary {
  addresses: number;
  stillWithAccess: number;
  byProvider: Record<ProviderId, number>;
  notChecked: number;
}

/** The counts behind "7 of 10 still have access: 5 in OpenAI, 3 in Telnyx". */
export function summarize(response: Pick<CheckResponse, "results" | "failed">): CheckSummary {
  const byProvider: Record<ProviderId, number> = { telnyx: 0, openai: 0 };
  let stillWithAccess = 0;
  for (const result of response.results) {
    let any = false;
    for (const provider of PROVIDER_IDS) {
      if (hasAccess(result[provider])) {
        byProvider[provider] += 1;
        any = true;
      }
    }
    if (any) stillWithAccess += 1;
  }
  const notChecked = new Set(response.failed.map((f) => f.email.toLowerCase())).size;
  return { addresses: response.results.length, stillWithAccess, byProvider, notChecked };
}
