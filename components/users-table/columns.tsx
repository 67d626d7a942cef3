import type { ReactNode } from "react";

import { Chips } from "@/components/ui/chips";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { EmptyValue, TruncatedText } from "@/components/ui/truncated-text";
import { GROUPS_LABEL, USER_COLUMNS, type UserColumn } from "@/lib/users/columns";
import type { ProviderId, User } from "@/lib/users/schema";

import { userColumnHelper as col, type UserColumnDef } from "./table-features";

/** How a cell shows its column's value, by the kind of value (lib/users/columns.ts). */
function renderCell(column: UserColumn, user: User, provider: ProviderId): ReactNode {
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

/** The table's column definitions for a list of the dashboard's columns. */
export function tableColumnsOf(
  provider: ProviderId,
  columns: readonly UserColumn[],
): UserColumnDef[] {
  return columns.map((column) =>
    col.accessor((user: User) => column.value(user), {
      id: column.id,
      header: column.label,
      enableHiding: !column.alwaysShown,
      cell: (info) => renderCell(column, info.row.original, provider),
      meta: { track: column.width.track, minWidth: column.width.min },
    }),
  );
}

/** Each vendor's table columns, from lib/users/columns.ts. */
export const TABLE_COLUMNS: Record<ProviderId, UserColumnDef[]> = {
  telnyx: tableColumnsOf("telnyx", USER_COLUMNS.telnyx),
  openai: tableColumnsOf("openai", USER_COLUMNS.openai),
};
