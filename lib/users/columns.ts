/**
 * Every column of a vendor's users, defined once: its id, CSV header, label,
 * how to read its value, how it is shown and how wide it is. The dashboard's
 * table (components/users-table/columns.tsx), its column chooser and the CSV
 * export (lib/export/columns.ts) all derive from these lists, so a column
 * added here shows in all three. Browser-safe: no server imports.
 */
import type { ProviderId, User, UserStatus } from "./schema";

/** Telnyx groups or OpenAI projects, as a user carries them. */
type Groups = User["groups"];

interface ColumnBase {
  /** The dashboard's id: table column, chooser, saved visibility; also accepted by the export. */
  readonly id: string;
  /** The CSV header and the export's `columns=` value. */
  readonly csv: string;
  /** The table's heading, the chooser's entry and the export's label. */
  readonly label: string;
  /** The CSS grid track (e.g. `minmax(16rem, 2fr)`) and its minimum in px. */
  readonly width: { readonly track: string; readonly min: number };
  /** Always shown: the chooser does not offer to hide it. */
  readonly alwaysShown?: true;
  /** The groups/projects column: needs the vendor to include groups. */
  readonly groups?: true;
}

/**
 * How a column's value is shown, which also fixes how the CSV writes it:
 * text as is (or as `display` words it on screen), dates as ISO 8601 UTC,
 * yes/no as `true`/`false`, groups as names joined by "; ".
 */
export type UserColumn = ColumnBase &
  (
    | {
        readonly cell: "text" | "strong";
        value(user: User): string | null;
        /** The words on screen where they differ from the CSV's value. */
        display?(value: string | null): string | null;
      }
    | { readonly cell: "status"; value(user: User): UserStatus }
    | { readonly cell: "time" | "lastActive"; value(user: User): string | null }
    | { readonly cell: "yesNo"; value(user: User): boolean | null }
    | { readonly cell: "chips"; value(user: User): Groups }
  );

function vendorBoolean(user: User, key: string): boolean | null {
  const value = user.vendor[key];
  return typeof value === "boolean" ? value : null;
}

function capitalize(value: string | null): string | null {
  return value ? value.charAt(0).toUpperCase() + value.slice(1) : value;
}

const ACCOUNT_LABELS: Record<string, string> = {
  service_account: "Service account",
  scim_managed: "SCIM-managed",
  user: "User",
};

/** OpenAI's kind of account, most specific first: a service account may also be SCIM-managed. */
export function openaiAccount(user: User): "service_account" | "scim_managed" | "user" {
  if (vendorBoolean(user, "is_service_account")) return "service_account";
  if (vendorBoolean(user, "is_scim_managed")) return "scim_managed";
  return "user";
}

const status: UserColumn = {
  id: "status",
  csv: "status",
  label: "Status",
  cell: "status",
  value: (user) => user.status,
  width: { track: "minmax(7rem, 0.8fr)", min: 112 },
};

const role: UserColumn = {
  id: "role",
  csv: "role",
  label: "Role",
  cell: "text",
  value: (user) => user.role,
  display: capitalize,
  width: { track: "minmax(6rem, 0.7fr)", min: 96 },
};

const createdAt = (csv: string, label: string): UserColumn => ({
  id: "createdAt",
  csv,
  label,
  cell: "time",
  value: (user) => user.createdAt,
  width: { track: "minmax(8rem, 1fr)", min: 128 },
});

const lastActiveAt = (csv: string, label: string, minRem: number): UserColumn => ({
  id: "lastActiveAt",
  csv,
  label,
  cell: "lastActive",
  value: (user) => user.lastActiveAt,
  width: { track: `minmax(${minRem}rem, 1fr)`, min: minRem * 16 },
});

const groups = (csv: string, label: string): UserColumn => ({
  id: "groups",
  csv,
  label,
  cell: "chips",
  groups: true,
  value: (user) => user.groups,
  width: { track: "minmax(14rem, 2fr)", min: 224 },
});

/** Each vendor's columns, in display order. */
export const USER_COLUMNS: Record<ProviderId, readonly UserColumn[]> = {
  telnyx: [
    {
      id: "email",
      csv: "email",
      label: "Email",
      cell: "strong",
      alwaysShown: true,
      value: (user) => user.email,
      width: { track: "minmax(16rem, 2.5fr)", min: 256 },
    },
    status,
    role,
    {
      id: "ssoBypass",
      csv: "sso_bypass",
      label: "SSO bypass",
      cell: "yesNo",
      value: (user) => vendorBoolean(user, "organization_user_bypasses_sso"),
      width: { track: "minmax(6.5rem, 0.7fr)", min: 104 },
    },
    createdAt("created_at", "Created"),
    lastActiveAt("last_sign_in_at", "Last sign-in", 8),
    groups("groups", "Groups"),
  ],
  openai: [
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
    role,
    status,
    {
      id: "account",
      csv: "account",
      label: "Account",
      cell: "text",
      value: openaiAccount,
      display: (value) => (value === null ? null : (ACCOUNT_LABELS[value] ?? value)),
      width: { track: "minmax(8rem, 0.9fr)", min: 128 },
    },
    createdAt("added_at", "Added"),
    lastActiveAt("last_api_key_use", "Last API key use", 9),
    groups("projects", "Projects"),
  ],
};

/** Columns that stay on a phone-width screen. */
export const PHONE_COLUMNS: ReadonlySet<string> = new Set(["email", "status"]);

/** What Telnyx calls groups, OpenAI calls projects. */
export const GROUPS_LABEL = { telnyx: "groups", openai: "projects" } as const satisfies Record<
  ProviderId,
  string
>;

/** Column id -> label for one provider, for headings outside the table. */
export function columnLabels(provider: ProviderId): Record<string, string> {
  return Object.fromEntries(USER_COLUMNS[provider].map((c) => [c.id, c.label]));
}
