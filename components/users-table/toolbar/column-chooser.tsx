"use client";

import { useId, useRef } from "react";

import { buttonClass } from "@/components/ui/button";
import { ColumnsIcon } from "@/components/ui/icons/columns";

import { hideableColumns } from "../columns";
import type { UsersTable } from "../use-users-table";

/**
 * Show or hide columns, in a native popover (light dismiss and Escape for
 * free). The groups column can only be shown while "Show groups" is on. On a
 * phone the grid shows email and status whatever is checked, and says so here.
 */
export function ColumnChooser({
  table,
  showGroups,
  onToggle,
}: {
  table: UsersTable;
  showGroups: boolean;
  onToggle: (columnId: string, visible: boolean) => void;
}) {
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const columns = hideableColumns(table.columns);

  return (
    <>
      <button ref={buttonRef} type="button" popoverTarget={id} className={buttonClass.secondary}>
        <ColumnsIcon className="size-4" />
        Columns
      </button>
      <div
        ref={popoverRef}
        id={id}
        popover="auto"
        onToggle={(event) => {
          // Place it under the button (CSSOM writes, allowed by the CSP unlike style attributes).
          const button = buttonRef.current?.getBoundingClientRect();
          const popover = popoverRef.current;
          if (event.newState !== "open" || !button || !popover) return;
          const left = Math.max(
            8,
            Math.min(
              button.right - popover.offsetWidth,
              window.innerWidth - popover.offsetWidth - 8,
            ),
          );
          popover.style.top = `${button.bottom + 6}px`;
          popover.style.left = `${left}px`;
        }}
        className="fixed right-auto bottom-auto m-0 w-56 rounded-lg border border-zinc-200 bg-white p-2 text-zinc-900 shadow-lg dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <fieldset>
          <legend className="px-2 pb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Columns
          </legend>
          {/* A phone's grid has room for email and status only (grid-layout.ts). */}
          <p className="px-2 pb-1 text-xs text-zinc-600 sm:hidden dark:text-zinc-400">
            A phone shows email and status; these choices apply on wider screens.
          </p>
          {columns.map((column) => {
            const disabled = column.id === "groups" && !showGroups;
            return (
              <label
                key={column.id}
                className={`flex items-center gap-2 rounded-md px-2 py-1.5 text-sm ${disabled ? "text-zinc-500 dark:text-zinc-400" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
              >
                <input
                  type="checkbox"
                  className="size-4 accent-indigo-600"
                  checked={table.visibleColumns.includes(column)}
                  disabled={disabled}
                  onChange={(event) => onToggle(column.id, event.target.checked)}
                />
                {column.label}
                {disabled && <span className="ml-auto text-xs">needs Show groups</span>}
              </label>
            );
          })}
        </fieldset>
      </div>
    </>
  );
}
