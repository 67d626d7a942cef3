import type { ReactNode } from "react";

import { Chips } from "@/components/ui/chips";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { EmptyValue, TruncatedText } from "@/components/ui/truncated-text";
import type { ColumnVisibility } from "@/lib/users/column-preferences";
import { GROUPS_LABEL, type UserColumn } from "@/lib/users/columns";
import type { ProviderId, User } from "@/lib/users/schema";

/** How a cell shows its column's value, by the kind of value (lib/users/columns.ts). */
export function renderCell(column: UserColumn, user: User, provider: ProviderId): ReactNode {
  switch (column.cell) {
    case "text":
    case "strong": {
      const value = column.value(user);
      return (
        <TruncatedText
          value={column.display ? column.display(value) : value}
          className={column.cell === "strong" ? "font-medium" : undefined}
        />
      );
    }
    case "status":
      return <StatusBadge status={column.value(user)} />;
    case "time":
      return <RelativeTime iso={column.value(user)} />;
    case "lastActive":
      return <RelativeTime iso={column.value(user)} emptyLabel="Never" />;
    case "yesNo": {
      const value = column.value(user);
      return value === null ? <EmptyValue /> : value ? "Yes" : "No";
    }
    case "chips":
      return <Chips items={column.value(user)} noun={GROUPS_LABEL[provider]} />;
  }
}

/**
 * The columns on screen, in display order: the admin's saved choice (only an
 * explicit `false` hides), except that the groups/projects column only shows
 * while "Show groups" is on (without it the API sends no groups to show).
 */
export function visibleColumnsOf(
  columns: readonly UserColumn[],
  saved: ColumnVisibility,
  showGroups: boolean,
): readonly UserColumn[] {
  return columns.filter((column) =>
    column.id === "groups" ? showGroups && saved.groups !== false : saved[column.id] !== false,
  );
}

/** The columns the chooser offers to hide: all but those always shown. */
export function hideableColumns(columns: readonly UserColumn[]): readonly UserColumn[] {
  return columns.filter((column) => !column.alwaysShown);
}
