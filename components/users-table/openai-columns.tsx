import { TruncatedText } from "@/components/ui/truncated-text";
import { columnLabels } from "@/lib/users/columns";
import { openaiAccountKind } from "@/lib/users/vendor-fields";

import { createdAtColumn, groupsColumn, lastActiveAtColumn, statusColumn } from "./shared-columns";
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
  statusColumn(label.status),
  col.accessor((user) => openaiAccountKind(user), {
    id: "account",
    header: label.account,
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { track: "minmax(8rem, 0.9fr)", minWidth: 128 },
  }),
  createdAtColumn(label.createdAt),
  lastActiveAtColumn(label.lastActiveAt, 9),
  groupsColumn(label.groups, "projects"),
]);
