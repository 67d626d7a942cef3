"use client";

import type { ReactNode } from "react";

import { formatCount } from "@/lib/users/format-count";
import { CsvDownloadButton } from "@/components/export/csv-download-button";
import { AppHeader } from "@/components/nav/page-header";
import { buttonClass, focusRing } from "@/components/ui/button";
import { EmailFilter } from "@/components/users-table/toolbar/email-filter";
import type { PersonFlag } from "@/lib/people/schema";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";

import { FlagChips } from "./flag-chips";
import { peopleExportHref } from "./people-api";
import { PeopleList } from "./people-list";
import { RosterPanel } from "./roster-panel";
import { SyncNow } from "./sync-now";
import { usePeopleList } from "./use-people-list";
import { usePeopleView } from "./use-people-view";

function toggle<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

/** The People view: one row per person across both vendors, its filters in the URL. */
export function PeopleView({ userMenu }: { userMenu: ReactNode }) {
  const { filters, setFilters, search } = usePeopleView();
  const list = usePeopleList(filters, search);
  const first = list.first;

  return (
    <div className="flex h-dvh flex-col">
      <AppHeader current="/people" userMenu={userMenu} />
      <main className="flex min-h-0 flex-1 flex-col">
        <div className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h1 className="text-base font-semibold">People</h1>
            <SyncNow
              asOf={first?.asOf ?? null}
              watching={list.watchingSync}
              onStarted={list.watchSync}
            />
          </div>
          <RosterPanel />
          <FlagChips
            counts={first?.counts ?? null}
            selected={filters.flags}
            onToggle={(flag: PersonFlag) =>
              setFilters({ ...filters, flags: toggle(filters.flags, flag) })
            }
          />
          <div className="flex flex-wrap items-center gap-3">
            <EmailFilter
              value={filters.email}
              onChange={(email) => setFilters({ ...filters, email }, "replace")}
            />
            <fieldset className="flex items-center gap-3 text-sm">
              <legend className="sr-only">Has an account in</legend>
              {PROVIDER_IDS.map((id: ProviderId) => (
                <label key={id} className="flex items-center gap-1.5">
                  <input
                    type="checkbox"
                    className={focusRing}
                    checked={filters.vendors.includes(id)}
                    onChange={() =>
                      setFilters({ ...filters, vendors: toggle(filters.vendors, id) })
                    }
                  />
                  In {PROVIDER_LABELS[id]}
                </label>
              ))}
            </fieldset>
            <span
              role="status"
              className="text-sm text-zinc-600 dark:text-zinc-400"
              data-testid="people-count"
            >
              {first
                ? `Showing ${formatCount(list.people.length)} of ${formatCount(first.total)} people`
                : ""}
            </span>
            <CsvDownloadButton
              download={{
                url: peopleExportHref(filters),
                filename: "roster-people.csv",
                subject: "The people list",
              }}
              className="ml-auto"
            />
          </div>
        </div>
        {list.isPending ? (
          <p role="status" className="p-6 text-sm text-zinc-500 dark:text-zinc-400">
            Loading people…
          </p>
        ) : list.error && list.people.length === 0 ? (
          <div
            role="alert"
            className="flex items-center gap-3 p-6 text-sm text-red-700 dark:text-red-300"
          >
            {list.error.message}
            <button type="button" className={buttonClass.secondary} onClick={list.pager.restart}>
              Try again
            </button>
          </div>
        ) : (
          <PeopleList
            people={list.people}
            total={first?.total ?? 0}
            pager={list.pager}
            search={search}
          />
        )}
      </main>
    </div>
  );
}
