import {
  createdAtColumn,
  groupsColumn,
  lastActiveAtColumn,
  roleColumn,
  statusColumn,
  vendorBoolean,
} from "@/lib/users/column-kinds";

import type { VendorMeta } from "../vendor-meta";

/** Telnyx, as the browser may know it (lib/providers/vendor-meta.ts). */
export const telnyxMeta = {
  id: "telnyx",
  label: "Telnyx",
  keyVar: "TELNYX_API_KEY",
  keyHelp: "a Telnyx API key with access to the organization",
  baseUrlVar: "TELNYX_BASE_URL",
  defaultUrl: "https://api.telnyx.com/v2",
  groupsNoun: "groups",
  columns: [
    {
      id: "email",
      csv: "email",
      label: "Email",
      cell: "strong",
      alwaysShown: true,
      value: (user) => user.email,
      width: { track: "minmax(16rem, 2.5fr)", min: 256 },
    },
    statusColumn,
    roleColumn,
    {
      id: "ssoBypass",
      csv: "sso_bypass",
      label: "SSO bypass",
      cell: "yesNo",
      value: (user) => vendorBoolean(user, "organization_user_bypasses_sso"),
      width: { track: "minmax(6.5rem, 0.7fr)", min: 104 },
    },
    createdAtColumn("created_at", "Created"),
    lastActiveAtColumn("last_sign_in_at", "Last sign-in", 8),
    groupsColumn("groups", "Groups"),
  ],
} as const satisfies VendorMeta;
