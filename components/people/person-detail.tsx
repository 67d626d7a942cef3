import Link from "next/link";

import { StatusBadge } from "@/components/ui/status-badge";
import { FLAG_NAMES } from "@/lib/people/contract";
import { DECISION_LABELS } from "@/lib/reviews/schema";
import type { HistoryEvent, PersonDetail as Detail, RosterUpload } from "@/lib/people/schema";
import { roleLabel } from "@/lib/users/column-kinds";
import type { User } from "@/lib/users/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";
import { formatUtc } from "@/lib/users/format-date";

import { personHref } from "./people-api";
import { PersonRoster } from "./person-roster";

const ACTIVITY = { telnyx: "Last sign-in", openai: "Last API-key use" } as const;

function value(v: unknown): string {
  if (v === null || v === undefined) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function Account({ user }: { user: User }) {
  return (
    <article className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <h3 className="flex flex-wrap items-center gap-2 font-medium wrap-anywhere">
        {user.name ?? user.email ?? user.id} <StatusBadge status={user.status} />
      </h3>
      <dl className="mt-2 grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500 dark:text-zinc-400">Role</dt>
        <dd>{roleLabel(user.role) ?? "—"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{ACTIVITY[user.provider]}</dt>
        <dd>{user.lastActiveAt ? formatUtc(user.lastActiveAt) : "Never"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">Created</dt>
        <dd>{user.createdAt ? formatUtc(user.createdAt) : "—"}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">
          {user.provider === "telnyx" ? "Groups" : "Projects"}
        </dt>
        <dd>{user.groups ? user.groups.map((g) => g.name).join(", ") || "none" : "—"}</dd>
      </dl>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">
          Every vendor field
        </summary>
        <dl className="mt-2 grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1 break-all">
          {Object.entries(user.vendor).map(([key, v]) => (
            <div key={key} className="contents">
              <dt className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{key}</dt>
              <dd className="font-mono text-xs">{value(v)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </article>
  );
}

function describe(event: HistoryEvent): string {
  const vendor = PROVIDER_LABELS[event.provider];
  if (event.event === "added") return `Added in ${vendor}`;
  if (event.event === "removed") return `Removed from ${vendor}`;
  return `${vendor}: ${event.changes.map((c) => `${c.field} ${value(c.from)} → ${value(c.to)}`).join("; ")}`;
}

/**
 * A person's page: flags with reasons, the roster entry (`roster`: the
 * roster in force, null when none is loaded), every account, the history.
 */
export function PersonDetail({ detail, roster }: { detail: Detail; roster: RosterUpload | null }) {
  const { person, history, nearMatches, reviews } = detail;
  return (
    <div className="flex flex-col gap-6">
      <section aria-label="Flags">
        {person.flags.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No risk flags.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {person.flags.map((flag) => (
              <li key={flag.flag}>
                <span className="font-medium text-amber-700 dark:text-amber-400">
                  {FLAG_NAMES[flag.flag]}
                </span>
                : {flag.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="roster-heading">
        <h2 id="roster-heading" className="font-semibold">
          HR roster
        </h2>
        <PersonRoster entry={person.roster} upload={roster} />
      </section>
      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading" className="font-semibold">
          Access reviews
        </h2>
        {reviews.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No access review has included this person.
          </p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {reviews.map((review) => (
              <li key={`${review.reviewId}:${review.provider}:${review.userId}`}>
                <Link
                  className="text-indigo-700 underline dark:text-indigo-300"
                  href={`/reviews/${review.reviewId}`}
                >
                  {review.name}
                </Link>{" "}
                ({PROVIDER_LABELS[review.provider]}):{" "}
                {review.decision
                  ? `${DECISION_LABELS[review.decision]} by ${review.decidedBy ?? "?"}${
                      review.decidedAt ? ` at ${formatUtc(review.decidedAt)}` : ""
                    }`
                  : "Undecided"}
                {review.state === "closed" ? " · closed" : ""}
              </li>
            ))}
          </ul>
        )}
      </section>
      {nearMatches.length > 0 ? (
        <section aria-labelledby="near-heading">
          <h2 id="near-heading" className="font-semibold">
            Similar addresses (kept apart)
          </h2>
          <ul className="text-sm">
            {nearMatches.map((key) => (
              <li key={key}>
                <Link
                  className="text-indigo-700 underline dark:text-indigo-300"
                  href={personHref(key)}
                >
                  {key}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        {PROVIDER_IDS.map((provider) => (
          <section
            key={provider}
            aria-labelledby={`${provider}-heading`}
            className="flex flex-col gap-3"
          >
            <h2 id={`${provider}-heading`} className="font-semibold">
              {PROVIDER_LABELS[provider]}
            </h2>
            {person.accounts[provider].length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No account.</p>
            ) : (
              person.accounts[provider].map((user) => <Account key={user.id} user={user} />)
            )}
          </section>
        ))}
      </div>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="font-semibold">
          History
        </h2>
        <ol className="mt-2 flex flex-col gap-1 text-sm">
          {history.map((event, i) => (
            <li key={i} className="flex gap-3">
              <time
                className="w-28 shrink-0 text-zinc-500 dark:text-zinc-400 tabular-nums"
                dateTime={event.at ?? undefined}
              >
                {event.at?.slice(0, 10) ?? "—"}
              </time>
              <span className="min-w-0 wrap-anywhere">{describe(event)}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
