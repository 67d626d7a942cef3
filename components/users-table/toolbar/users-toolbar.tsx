"use client";

import { lazy, Suspense, useId, type Ref } from "react";

import { SourceSwitch } from "@/components/directory/source-switch";
import { ExportButton } from "@/components/export/export-button";
import { Switch } from "@/components/ui/switch";
import type {
  FilterName,
  ProviderId,
  UserStatus,
  UsersFilters,
  UsersSource,
} from "@/lib/users/schema";
import type { HistoryMode } from "@/lib/navigation/search";

import type { UsersTable } from "../use-users-table";
import { ColumnChooser } from "./column-chooser";
import { CountText } from "./count-text";
import { EmailFilter } from "./email-filter";
import { RosterFilterHint } from "./roster-filter-hint";
import { StatusSelect } from "./status-select";

/** Only directory views show it, so only they load it. */
const SyncControl = lazy(() =>
  import("@/components/directory/sync-control").then((module) => ({ default: module.SyncControl })),
);

export interface UsersToolbarProps {
  provider: ProviderId;
  filters: UsersFilters;
  onFiltersChange: (patch: Partial<UsersFilters>, mode?: HistoryMode) => void;
  table: UsersTable;
  onToggleColumn: (columnId: string, visible: boolean) => void;
  /** Rows loaded so far; `null` before the first page. */
  loaded: number | null;
  /** The first page is on its way. */
  loading: boolean;
  total: number | null;
  rosterFilters: FilterName[];
  source: UsersSource;
  /** Why Roster chose the directory for this view, when it did. */
  sourceNote: string | null;
  onSourceChange: (source: UsersSource) => void;
  /** The directory snapshot's time, when the directory answers. */
  asOf: string | null;
  /** The email box, for the caller to put the keyboard focus on. */
  emailInput?: Ref<HTMLInputElement>;
}

/** Filters on the left; the count, the column chooser and the export on the right. */
export function UsersToolbar(props: UsersToolbarProps) {
  const { provider, filters, onFiltersChange, table, loaded, loading, total, rosterFilters } =
    props;
  const emailHintId = useId();
  const statusHintId = useId();
  const emailByRoster = rosterFilters.includes("email") && filters.email !== undefined;
  const statusByRoster = rosterFilters.includes("status") && filters.status !== undefined;
  const visibleColumns = table.visibleColumns.map((column) => column.id);

  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-3 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
      <div className="flex w-full flex-wrap items-center gap-x-4 gap-y-2">
        <SourceSwitch
          value={props.source}
          onChange={props.onSourceChange}
          asOf={props.asOf}
          note={props.sourceNote}
        />
        {props.source === "directory" && (
          <Suspense fallback={null}>
            <SyncControl provider={provider} />
          </Suspense>
        )}
      </div>
      <div className="flex w-full flex-wrap items-center gap-x-4 gap-y-3 lg:w-auto lg:flex-1">
        <div className="flex w-full items-center gap-2 sm:w-auto">
          <EmailFilter
            value={filters.email}
            onChange={(email) => onFiltersChange({ email }, "replace")}
            describedBy={emailByRoster ? emailHintId : undefined}
            inputRef={props.emailInput}
          />
          {emailByRoster && <RosterFilterHint id={emailHintId} provider={provider} />}
        </div>
        <div className="flex items-center gap-2">
          <StatusSelect
            value={filters.status}
            onChange={(status: UserStatus | undefined) => onFiltersChange({ status })}
            describedBy={statusByRoster ? statusHintId : undefined}
          />
          {statusByRoster && <RosterFilterHint id={statusHintId} provider={provider} />}
        </div>
        <Switch
          label="Show groups"
          checked={filters.groups}
          onCheckedChange={(groups) => onFiltersChange({ groups })}
        />
      </div>
      <div className="flex w-full flex-wrap items-center justify-between gap-3 sm:w-auto sm:justify-end lg:ml-auto">
        <CountText loaded={loaded} total={total} loading={loading} />
        <div className="flex items-center gap-2">
          <ColumnChooser
            table={table}
            showGroups={filters.groups}
            onToggle={props.onToggleColumn}
          />
          <ExportButton
            provider={provider}
            filters={filters}
            columns={visibleColumns}
            total={total}
            source={props.source}
          />
        </div>
      </div>
    </div>
  );
}
