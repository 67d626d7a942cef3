import {
  ACCOUNT_LABELS,
  createdAtColumn,
  groupsColumn,
  lastActiveAtColumn,
  openaiAccount,
  roleColumn,
  statusColumn,
} from "@/lib/users/column-kinds";

import type { VendorMeta } from "../vendor-meta";

/** OpenAI, as the browser may know it (lib/providers/vendor-meta.ts). */
export const openaiMeta = {
  id: "openai",
  label: "OpenAI",
  keyVar: "OPENAI_ADMIN_KEY",
  keyHelp: "an OpenAI admin key (sk-admin-…) with api.management.read",
  baseUrlVar: "OPENAI_BASE_URL",
  defaultUrl: "https://api.openai.com/v1",
  groupsNoun: "projects",
  columns: [
    {
      id: "name",
      csv: "name",
      label: "Name",
      cell: "strong",
      value: (user) => user.name,
      width: { track: "minmax(10rem, 1.4fr)", min: 160 },
    },
    {
      id: "email",
      csv: "email",
      label: "Email",
      cell: "text",
      alwaysShown: true,
      value: (user) => user.email,
      width: { track: "minmax(15rem, 2fr)", min: 240 },
    },
    roleColumn,
    statusColumn,
    {
      id: "account",
      csv: "account",
      label: "Account",
      cell: "text",
      value: openaiAccount,
      display: (value) => (value === null ? null : (ACCOUNT_LABELS[value] ?? value)),
      width: { track: "minmax(8rem, 0.9fr)", min: 128 },
    },
    createdAtColumn("added_at", "Added"),
    lastActiveAtColumn("last_api_key_use", "Last API key use", 9),
    groupsColumn("projects", "Projects"),
  ],
} as const satisfies VendorMeta;
