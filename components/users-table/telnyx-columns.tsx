import { EmptyValue, TruncatedText } from "@/components/ui/truncated-text";
import { columnLabels } from "@/lib/users/columns";
import { telnyxRole, telnyxSsoBypass } from "@/lib/users/vendor-fields";

import { createdAtColumn, groupsColumn, lastActiveAtColumn, statusColumn } from "./shared-columns";
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
  statusColumn(label.status),
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
  createdAtColumn(label.createdAt),
  lastActiveAtColumn(label.lastActiveAt, 8),
  groupsColumn(label.groups, "groups"),
]);
