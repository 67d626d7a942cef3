import { Chips } from "@/components/ui/chips";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";

import { userColumnHelper as col } from "./table-features";

/** Columns both vendors show the same way; only their labels and widths differ. */

export const statusColumn = (header: string) =>
  col.accessor("status", {
    id: "status",
    header,
    cell: (info) => <StatusBadge status={info.getValue()} />,
    meta: { track: "minmax(7rem, 0.8fr)", minWidth: 112 },
  });

export const createdAtColumn = (header: string) =>
  col.accessor("createdAt", {
    id: "createdAt",
    header,
    cell: (info) => <RelativeTime iso={info.getValue()} />,
    meta: { track: "minmax(8rem, 1fr)", minWidth: 128 },
  });

export const lastActiveAtColumn = (header: string, minRem: number) =>
  col.accessor("lastActiveAt", {
    id: "lastActiveAt",
    header,
    cell: (info) => <RelativeTime iso={info.getValue()} emptyLabel="Never" />,
    meta: { track: `minmax(${minRem}rem, 1fr)`, minWidth: minRem * 16 },
  });

export const groupsColumn = (header: string, noun: string) =>
  col.accessor("groups", {
    id: "groups",
    header,
    cell: (info) => <Chips items={info.getValue()} noun={noun} />,
    meta: { track: "minmax(14rem, 2fr)", minWidth: 224 },
  });
