import type { CSSProperties } from "react";

import { PHONE_COLUMNS, type UserColumn } from "@/lib/users/columns";

/** Row height in px: fixed, so the virtualizer never has to measure rows. */
export const ROW_HEIGHT = 44;

/**
 * The grid's column tracks as CSS variables: every visible column from `sm`
 * up, only email and status on a phone. Rows and the header share them, so
 * cells line up without a <table>.
 */
export function gridStyle(columns: readonly UserColumn[]): CSSProperties {
  const track = (c: UserColumn) => c.width.track;
  const minWidth = columns.reduce((sum, c) => sum + c.width.min, 0);
  return {
    "--cols": columns.map(track).join(" "),
    "--cols-phone":
      columns
        .filter((c) => PHONE_COLUMNS.has(c.id))
        .map(track)
        .join(" ") || "1fr",
    "--grid-min": `${minWidth}px`,
  } as CSSProperties;
}

export const rowGridClass = "grid grid-cols-[var(--cols-phone)] sm:grid-cols-[var(--cols)]";

/** Cells of columns that a phone-width screen drops. */
export function cellVisibilityClass(columnId: string): string {
  return PHONE_COLUMNS.has(columnId) ? "" : "max-sm:hidden";
}
