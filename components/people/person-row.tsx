import Link from "next/link";

import { StatusBadge } from "@/components/ui/status-badge";
import { FLAG_NAMES } from "@/lib/people/contract";
import type { Person } from "@/lib/people/schema";
import type { User } from "@/lib/users/schema";
import { roleLabel } from "@/lib/users/column-kinds";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";
import { lastUsedText } from "@/lib/users/format-date";

import { personHref } from "./people-api";

export const PERSON_ROW_HEIGHT = 76;

/** The columns of a row and of the list's header, from `sm` up (one column on a phone). */
const COLUMNS =
  "grid grid-cols-1 gap-x-4 px-4 sm:grid-cols-[minmax(12rem,1.2fr)_1fr_1fr_minmax(12rem,1.5fr)] sm:px-6";

/**
 * The column names over the rows, for the eye only: each row is one link whose
 * text names its vendors itself (a header row has no place in a list of links).
 */
export function PeopleHeader() {
  return (
    <div
      aria-hidden="true"
      className={`sticky top-0 z-10 hidden border-b border-zinc-200 bg-zinc-50/95 py-2 text-xs font-semibold tracking-wide text-zinc-600 uppercase backdrop-blur sm:grid dark:border-zinc-800 dark:bg-zinc-900/95 dark:text-zinc-400 ${COLUMNS}`}
    >
      <span>Person</span>
      {PROVIDER_IDS.map((provider) => (
        <span key={provider}>{PROVIDER_LABELS[provider]}</span>
      ))}
      <span>Flags</span>
    </div>
  );
}

function AccountSummary({ user }: { user: User }) {
  const extras = [
    roleLabel(user.role),
    user.vendor.organization_user_bypasses_sso === true ? "SSO bypass" : null,
    user.vendor.is_service_account === true ? "service account" : null,
    user.vendor.is_scim_managed === true ? "SCIM" : null,
  ].filter(Boolean);
  return (
    <span className="flex min-w-0 items-center gap-1.5 text-xs">
      <StatusBadge status={user.status} />
      <span className="truncate text-zinc-600 dark:text-zinc-400">
        {extras.join(" · ")}
        {" · "}
        {lastUsedText(user.lastActiveAt)}
      </span>
    </span>
  );
}

/** One person: the address, each vendor's account side by side, and the flags with their reasons. */
export function PersonRow({
  person,
  index,
  start,
  onOpen,
}: {
  person: Person;
  index: number;
  start: number;
  onOpen: (key: string) => void;
}) {
  const label = person.email ?? person.accounts.openai[0]?.name ?? person.key;
  return (
    <li
      data-index={index}
      className="absolute inset-x-0 border-b border-zinc-100 dark:border-zinc-800/70"
      style={{ height: PERSON_ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <Link
        href={personHref(person.key)}
        data-key={person.key}
        onClick={() => onOpen(person.key)}
        className={`h-full py-2 hover:bg-zinc-50 focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-900 dark:focus-visible:bg-indigo-950 ${COLUMNS}`}
      >
        <span className="min-w-0 self-center">
          <span className="block truncate font-medium">{label}</span>
          <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
            {person.email === null ? "account without an email" : (person.roster?.name ?? "")}
          </span>
        </span>
        {PROVIDER_IDS.map((provider) => (
          <span key={provider} className="hidden min-w-0 flex-col justify-center gap-1 sm:flex">
            {person.accounts[provider].length === 0 ? (
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                No {PROVIDER_LABELS[provider]} account
              </span>
            ) : (
              <>
                <span className="sr-only">{PROVIDER_LABELS[provider]}:</span>
                {person.accounts[provider].slice(0, 2).map((user) => (
                  <AccountSummary key={user.id} user={user} />
                ))}
              </>
            )}
          </span>
        ))}
        <span
          className="flex min-w-0 flex-col justify-center gap-0.5 text-xs"
          data-testid="row-flags"
        >
          {person.flags.slice(0, 3).map((flag) => (
            <span key={flag.flag} className="truncate" title={flag.reason}>
              <span className="font-medium text-amber-700 dark:text-amber-400">
                {FLAG_NAMES[flag.flag]}
              </span>{" "}
              <span className="text-zinc-600 dark:text-zinc-400">{flag.reason}</span>
            </span>
          ))}
          {person.flags.length > 3 ? (
            <span className="text-zinc-500 dark:text-zinc-400">
              +{person.flags.length - 3} more
            </span>
          ) : null}
        </span>
      </Link>
    </li>
  );
}
