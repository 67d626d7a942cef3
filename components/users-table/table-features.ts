import {
  columnVisibilityFeature,
  createColumnHelper,
  metaHelper,
  tableFeatures,
  type ColumnDef,
} from "@tanstack/react-table";

import type { User } from "@/lib/users/schema";

/** Layout facts each column carries for the CSS-grid renderer. */
export interface UserColumnMeta {
  /** A CSS grid track, e.g. `minmax(16rem, 2fr)`. */
  track: string;
  /** The track's minimum in px; their sum is the width below which the table scrolls sideways. */
  minWidth: number;
}

export const userTableFeatures = tableFeatures({
  columnVisibilityFeature,
  columnMeta: metaHelper<UserColumnMeta>(),
});

export type UserTableFeatures = typeof userTableFeatures;

export const userColumnHelper = createColumnHelper<UserTableFeatures, User>();

// The helper's `columns()` keeps each accessor's own value type; the table only needs the union.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UserColumnDef = ColumnDef<UserTableFeatures, User, any>;
