"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useRef, useState } from "react";

import { CsvDownloadButton } from "@/components/export/csv-download-button";
import { buttonClass } from "@/components/ui/button";
import { navigateToSearch } from "@/lib/navigation/search";
import {
  activityFiltersFromSearchParams,
  activityFiltersToSearchParams,
} from "@/lib/activity/contract";

import { ActivityFiltersBar } from "./activity-filters";
import { ActivityList } from "./activity-list";
import { useActivity, useVerify, type ActivityFilters } from "./use-activity";
import { verifySummary } from "./verify-summary";

/** The activity page: filters, the chain check, the CSV export and the list. */
export function ActivityLog() {
  // The filters live in the URL (a link, a reload, Back and Forward keep them). The inputs follow
  // a copy here at once; the URL follows the copy, and Back or Forward reset it.
  const search = useSearchParams().toString();
  const [filters, setLocal] = useState<ActivityFilters>(() =>
    activityFiltersFromSearchParams(new URLSearchParams(search)),
  );
  const [shownSearch, setShownSearch] = useState(search);
  if (search !== shownSearch) {
    setShownSearch(search);
    setLocal(activityFiltersFromSearchParams(new URLSearchParams(search)));
  }
  const setFilters = useCallback((next: ActivityFilters) => {
    setLocal(next);
    const query = activityFiltersToSearchParams(next).toString();
    navigateToSearch(query ? `?${query}` : "");
  }, []);
  const activity = useActivity(filters);
  const verify = useVerify();
  const query = activityFiltersToSearchParams(filters).toString();
  const kind = useRef<HTMLSelectElement>(null);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-xl font-semibold">Activity</h1>
        <button
          type="button"
          className={buttonClass.secondary}
          onClick={() => void verify.refetch()}
        >
          Verify chain
        </button>
        <CsvDownloadButton
          download={{
            url: `/api/activity/export${query ? `?${query}` : ""}`,
            filename: "roster-activity.csv",
            subject: "The activity log",
          }}
        />
      </div>
      <div role="status" data-testid="verify-result" className="text-sm">
        {verify.isFetching
          ? "Verifying…"
          : verify.error
            ? `Verification failed to run: ${verify.error.message}`
            : verify.data
              ? verifySummary(verify.data)
              : null}
      </div>
      <ActivityFiltersBar filters={filters} onChange={setFilters} kindRef={kind} />
      {activity.error && (
        <div role="alert" className="flex flex-wrap items-center gap-3 text-sm">
          <span className="text-red-700 dark:text-red-400">{activity.error.message}</span>
          {/* A date input cannot show a date that does not exist (from=2026-02-30), so it looks
              empty and cannot be cleared: the way out is here. */}
          {query && (
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() => {
                setFilters({});
                // This button goes with the error: the focus goes to the filters, not the page.
                kind.current?.focus();
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      )}
      <ActivityList
        entries={activity.entries}
        hasNextPage={activity.hasNextPage}
        fetchingNext={activity.isFetching}
        failed={activity.isError}
        onEnd={() => void activity.fetchNextPage()}
      />
    </div>
  );
}
