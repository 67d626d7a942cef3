/**
 * The access reviews contract, shared by the route handlers (which parse
 * requests with it) and the browser (which types responses with it). No
 * server imports.
 */
import { z } from "zod/mini";

import {
  isProblem,
  oneOfParam,
  type ParseResult,
  seqPageParams,
  unknownOrRepeatedParam,
} from "@/lib/api/query-params";
import { parseCalendarDate } from "@/lib/api/dates";

import { FLAG_NAMES } from "@/lib/people/contract";
import { providerIdSchema, userStatusSchema, type ProviderId } from "@/lib/users/schema";

export const DECISIONS = ["keep", "revoke", "follow_up"] as const;
export const decisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof decisionSchema>;
export const DECISION_LABELS = {
  keep: "Keep",
  revoke: "Revoke",
  follow_up: "Follow up",
} as const satisfies Record<Decision, string>;

/** Account-level flags, computed when the review freezes its scope (lib/reviews/flags.ts). */
export const ACCOUNT_FLAGS = ["privileged", "sso_bypass", "dormant", "service_account"] as const;
export const accountFlagSchema = z.enum(ACCOUNT_FLAGS);
export type AccountFlag = z.infer<typeof accountFlagSchema>;
/** Named as the People view names the same flags. */
export const FLAG_LABELS: Record<AccountFlag, string> = {
  privileged: FLAG_NAMES.privileged,
  sso_bypass: FLAG_NAMES.sso_bypass,
  dormant: FLAG_NAMES.dormant,
  service_account: FLAG_NAMES.service_account,
};

export const MAX_COMMENT_LENGTH = 2000;
export const MAX_DECISIONS_PER_REQUEST = 1000;

/**
 * What a review covers. Every listed filter narrows: an account is in scope
 * when it belongs to one of `providers`, has one of `statuses` and one of
 * `roles` (when given), contains `email` (case-insensitive), and carries
 * every flag in `flags`.
 */
export const reviewScopeSchema = z.strictObject({
  providers: z
    .array(providerIdSchema)
    .check(z.minLength(1, "scope.providers must name at least one provider")),
  // A filter that is given narrows: an empty list or a blank value is refused
  // rather than read as "no filter", which would widen the review to everyone.
  statuses: z.optional(
    z
      .array(userStatusSchema)
      .check(z.minLength(1, "scope.statuses must name at least one status, or be left out")),
  ),
  roles: z.optional(
    z
      .array(
        z
          .string()
          .check(
            z.trim(),
            z.minLength(1, "must not be blank"),
            z.maxLength(64, "must be at most 64 characters"),
          ),
      )
      .check(
        z.minLength(1, "scope.roles must name at least one role, or be left out"),
        z.maxLength(20, "scope.roles must name at most 20 roles"),
      ),
  ),
  email: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, "scope.email must not be blank"),
        z.maxLength(254, "scope.email must be at most 254 characters"),
      ),
  ),
  flags: z.optional(
    z
      .array(accountFlagSchema)
      .check(z.minLength(1, "scope.flags must name at least one flag, or be left out")),
  ),
});
export type ReviewScope = z.infer<typeof reviewScopeSchema>;

export const createReviewSchema = z.strictObject({
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "name must not be empty"),
      z.maxLength(200, "name must be at most 200 characters"),
    ),
  dueDate: z
    .string()
    .check(
      z.refine(
        (value) => parseCalendarDate(value) !== null,
        "dueDate must be a date such as 2026-03-31",
      ),
    ),
  scope: reviewScopeSchema,
});
export type CreateReview = z.infer<typeof createReviewSchema>;

export const decisionInputSchema = z.strictObject({
  itemId: z.int().check(z.positive()),
  decision: decisionSchema,
  comment: z.optional(
    z.nullable(
      z
        .string()
        .check(
          z.maxLength(
            MAX_COMMENT_LENGTH,
            `comment must be at most ${MAX_COMMENT_LENGTH} characters`,
          ),
        ),
    ),
  ),
});
export const decisionsBodySchema = z
  .array(decisionInputSchema)
  .check(
    z.minLength(1, "send at least one decision"),
    z.maxLength(
      MAX_DECISIONS_PER_REQUEST,
      `send at most ${MAX_DECISIONS_PER_REQUEST} decisions at once`,
    ),
  );
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/** Turns the first zod issue into a message that names the field. */
export function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return "the body is invalid";
  const path = issue.path
    .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
    .join("")
    .replace(/^\./, "");
  const where = path || "the body";
  if (issue.code === "unrecognized_keys") {
    return `${where === "the body" ? "" : `${where}: `}unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  if (issue.code === "invalid_value") {
    return `${where} must be one of ${issue.values.map(String).join(", ")}`;
  }
  // A number out of range without a message of its own (zod's is "Too small: expected number to be >0").
  if ((issue.code === "too_small" || issue.code === "too_big") && /^Too /.test(issue.message)) {
    const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
    const words =
      issue.code === "too_small"
        ? issue.inclusive
          ? "at least"
          : "greater than"
        : issue.inclusive
          ? "at most"
          : "less than";
    return `${where} must be ${words} ${String(bound)}`;
  }
  // A rule on an element ("must not be blank") is said after the element's path.
  if (issue.message && /^must /.test(issue.message)) return `${where} ${issue.message}`;
  if (issue.message && !/^Invalid /.test(issue.message)) return issue.message;
  if (issue.code === "invalid_type") {
    return `${where} must be ${issue.expected === "array" || issue.expected === "object" || issue.expected === "int" ? `an ${issue.expected === "int" ? "integer" : issue.expected}` : `a ${issue.expected}`}`;
  }
  return `${where} is invalid`;
}

export interface ReviewCounts {
  total: number;
  decided: number;
  undecided: number;
  keep: number;
  revoke: number;
  follow_up: number;
  flagged: number;
  changed: number;
}

export interface ReviewSnapshotInfo {
  provider: ProviderId;
  snapshotId: number;
  finishedAt: string | null;
  /** Rows in the whole snapshot, and the vendor's own total where it reports one. */
  snapshotRows: number;
  vendorTotal: number | null;
  /** Accounts of this provider that fell in the scope. */
  accountsInScope: number;
  /** The directory's completeness proof for the snapshot, copied as is. */
  proof: unknown;
}

export interface ReviewSummary {
  id: number;
  name: string;
  dueDate: string;
  scope: ReviewScope;
  state: "open" | "closed";
  createdBy: string;
  createdAt: string;
  closedBy: string | null;
  closedAt: string | null;
  previousReviewId: number | null;
  snapshots: ReviewSnapshotInfo[];
  counts: ReviewCounts;
  /** sha256 (hex) of the stored evidence files; null while open. */
  evidenceCsvSha256: string | null;
  /**
   * Also null for a review closed before Roster kept it whose `review.closed` entry does not hold
   * it (a v1 package, or an entry pruned): `sha256sum` the downloaded manifest.
   */
  evidenceJsonSha256: string | null;
}

export interface ReviewItem {
  id: number;
  provider: ProviderId;
  userId: string;
  email: string | null;
  name: string | null;
  status: string;
  role: string | null;
  createdAt: string | null;
  lastActiveAt: string | null;
  groups: { id: string; name: string }[] | null;
  flags: AccountFlag[];
  /** Against the previous closed review of the same scope. */
  change: "new" | "changed" | null;
  decision: Decision | null;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface ReviewItemsPage {
  data: ReviewItem[];
  nextCursor: string | null;
}

export interface DecisionsResult {
  decided: ReviewItem[];
  counts: ReviewCounts;
}

export const ITEM_FILTERS = ["undecided", ...DECISIONS] as const;
export type ItemDecisionFilter = (typeof ITEM_FILTERS)[number];

export interface ItemsQuery {
  decision?: ItemDecisionFilter;
  flagged?: boolean;
  changed?: boolean;
  limit: number;
  /** Items with an id above this one. */
  after?: number;
}

export const ITEMS_DEFAULT_LIMIT = 100;
export const ITEMS_MAX_LIMIT = 500;

export function parseItemsQuery(params: URLSearchParams): ParseResult<ItemsQuery> {
  const allowed = ["decision", "flagged", "changed", "limit", "cursor"];
  const problem = unknownOrRepeatedParam(params, allowed);
  if (problem) return problem;
  const query: ItemsQuery = { limit: ITEMS_DEFAULT_LIMIT };
  const decision = oneOfParam(params, "decision", ITEM_FILTERS);
  if (isProblem(decision)) return decision;
  if (decision !== undefined) query.decision = decision;
  for (const name of ["flagged", "changed"] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (value !== "true" && value !== "false") {
      return { ok: false, param: name, message: `${name} must be true or false` };
    }
    query[name] = value === "true";
  }
  const page = seqPageParams(params, ITEMS_MAX_LIMIT);
  if (isProblem(page)) return page;
  if (page.limit !== undefined) query.limit = page.limit;
  if (page.cursor !== undefined) query.after = page.cursor;
  return { ok: true, value: query };
}
