import { Chips } from "@/components/ui/chips";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { TruncatedText } from "@/components/ui/truncated-text";
import { columnLabels } from "@/lib/users/columns";
import { openaiAccountKind } from "@/lib/users/vendor-fields";

import { userColumnHelper as col } from "./table-features";

const label = columnLabels("openai");

function capitalize(value: string | null): string | null {
  return value ? value.charAt(0).toUpperCase() + value.slice(1) : value;
}

/** OpenAI: Name, Email, Role, Status, Account, Added, Last API key use, Projects. */
export const openaiColumns = col.columns([
  col.accessor("name", {
    id: "name",
    header: label.name,
    cell: (info) => <TruncatedText value={info.getValue()} className="font-medium" />,
    meta: { track: "minmax(10rem, 1.4fr)", minWidth: 160 },
  }),
  col.accessor("email", {
    id: "email",
    header: label.email,
    enableHiding: false,
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { track: "minmax(15rem, 2fr)", minWidth: 240 },
  }),
  col.accessor((user) => capitalize(user.role), {
    id: "role",
    header: label.role,
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { track: "minmax(6rem, 0.7fr)", minWidth: 96 },
  }),
  col.accessor("status", {
    id: "status",
    header: label.status,
    cell: (info) => <StatusBadge status={info.getValue()} />,
    meta: { track: "minmax(7rem, 0.8fr)", minWidth: 112 },
  }),
  col.accessor((user) => openaiAccountKind(user), {
    id: "account",
    header: label.account,
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { track: "minmax(8rem, 0.9fr)", minWidth: 128 },
  }),
  col.accessor("createdAt", {
    id: "createdAt",
    header: label.createdAt,
    cell: (info) => <RelativeTime iso={info.getValue()} />,
    meta: { track: "minmax(8rem, 1fr)", minWidth: 128 },
  }),
  col.accessor("lastActiveAt", {
    id: "lastActiveAt",
    header: label.lastActiveAt,
    cell: (info) => <RelativeTime iso={info.getValue()} emptyLabel="Never" />,
    meta: { track: "minmax(9rem, 1fr)", minWidth: 144 },
  }),
  col.accessor("groups", {
    id: "groups",
    header: label.groups,
    cell: (info) => <Chips items={info.getValue()} noun="projects" />,
    meta: { track: "minmax(14rem, 2fr)", minWidth: 224 },
  }),
]);
