"use client";

import { memo } from "react";

import type { UserColumn } from "@/lib/users/columns";
import type { ProviderId, User } from "@/lib/users/schema";

import { renderCell } from "./columns";
import { ROW_HEIGHT, cellVisibilityClass, rowGridClass } from "./grid-layout";

interface UsersGridRowProps {
  user: User;
  provider: ProviderId;
  /** The columns on screen; a new list when they change, so memoized rows re-render. */
  columns: readonly UserColumn[];
  index: number;
  start: number;
  active: boolean;
}

/**
 * One absolutely positioned row. Only the active row is in the tab order
 * (roving tabindex); arrow keys, Enter and clicks are handled by the grid.
 */
export const UsersGridRow = memo(function UsersGridRow({
  user,
  provider,
  columns,
  index,
  start,
  active,
}: UsersGridRowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      data-row-id={user.id}
      tabIndex={active ? 0 : -1}
      className={`group absolute top-0 left-0 w-full cursor-pointer items-center border-b border-zinc-100 text-sm text-zinc-700 hover:bg-zinc-50 focus:bg-indigo-50/60 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-800/70 dark:text-zinc-300 dark:hover:bg-zinc-900 dark:focus:bg-indigo-500/10 ${rowGridClass}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      {columns.map((column) => (
        <div
          key={column.id}
          role="gridcell"
          className={`flex min-w-0 items-center px-3 ${cellVisibilityClass(column.id)}`}
        >
          <span className="min-w-0 flex-1">{renderCell(column, user, provider)}</span>
        </div>
      ))}
    </div>
  );
});
