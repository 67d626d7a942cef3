import { Chips } from "@/components/ui/chips";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { EmptyValue, TruncatedText } from "@/components/ui/truncated-text";
import { columnLabels } from "@/lib/users/columns";
import { telnyxRole, telnyxSsoBypass } from "@/lib/users/vendor-fields";

import { userColumnHelper as col } from "./table-features";

const label = columnLabels("telnyx");

/** Telnyx: Email, Status, Role (from `record_type`), SSO bypass, Created, Last sign-in, Groups. */
export const telnyxColumns = col.columns([
  col.accessor("email", {
    id: "email",
    header: label.email,
    enableHiding: false,
    cell: (info) => <TruncatedText value={info.getValue()} className="font-medium" />,
    meta: { track: "minmax(16rem, 2.5fr)", minWidth: 256 },
  }),
  col.accessor("status", {
    id: "status",
    header: label.status,
    cell: (info) => <StatusBadge status={info.getValue()} />,
    meta: { track: "minmax(7rem, 0.8fr)", minWidth: 112 },
  }),
  col.accessor((user) => telnyxRole(user), {
    id: "role",
    header: label.role,
    cell: (info) => <TruncatedText value={info.getValue()} />,
    meta: { track: "minmax(6rem, 0.7fr)", minWidth: 96 },
  }),
  col.accessor((user) => telnyxSsoBypass(user), {
    id: "ssoBypass",
    header: label.ssoBypass,
    cell: (info) => {
      const value = info.getValue();
      return value === null ? <EmptyValue /> : value ? "Yes" : "No";
    },
    meta: { track: "minmax(6.5rem, 0.7fr)", minWidth: 104 },
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
    meta: { track: "minmax(8rem, 1fr)", minWidth: 128 },
  }),
  col.accessor("groups", {
    id: "groups",
    header: label.groups,
    cell: (info) => <Chips items={info.getValue()} noun="groups" />,
    meta: { track: "minmax(14rem, 2fr)", minWidth: 224 },
  }),
]);
