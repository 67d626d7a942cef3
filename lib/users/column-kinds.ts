/**
 * What a column of vendor users is (its id, CSV header, label, how to read its
 * value, how it is shown and how wide it is), and the columns both vendors
 * share. Each vendor lists its columns in lib/providers/<vendor>/meta.ts; the
 * dashboard's table, its column chooser and the CSV export derive from those
 * lists. Browser-safe: no server imports.
 */
import type { User, UserStatus } from "./schema";

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

export function vendorBoolean(user: User, key: string): boolean | null {
  const value = user.vendor[key];
  return typeof value === "boolean" ? value : null;
}

/** A vendor role as Roster shows it ("reader" is shown "Reader"); exports keep the vendor's. */
export function roleLabel(role: string | null): string | null {
  return role ? role.charAt(0).toUpperCase() + role.slice(1) : role;
}

export const ACCOUNT_LABELS: Record<string, string> = {
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

export const statusColumn: UserColumn = {
  id: "status",
  csv: "status",
  label: "Status",
  cell: "status",
  value: (user) => user.status,
  width: { track: "minmax(7rem, 0.8fr)", min: 112 },
};

export const roleColumn: UserColumn = {
  id: "role",
  csv: "role",
  label: "Role",
  cell: "text",
  value: (user) => user.role,
  display: roleLabel,
  width: { track: "minmax(6rem, 0.7fr)", min: 96 },
};

export const createdAtColumn = (csv: string, label: string): UserColumn => ({
  id: "createdAt",
  csv,
  label,
  cell: "time",
  value: (user) => user.createdAt,
  width: { track: "minmax(8rem, 1fr)", min: 128 },
});

export const lastActiveAtColumn = (csv: string, label: string, minRem: number): UserColumn => ({
  id: "lastActiveAt",
  csv,
  label,
  cell: "lastActive",
  value: (user) => user.lastActiveAt,
  width: { track: `minmax(${minRem}rem, 1fr)`, min: minRem * 16 },
});

export const groupsColumn = (csv: string, label: string): UserColumn => ({
  id: "groups",
  csv,
  label,
  cell: "chips",
  groups: true,
  value: (user) => user.groups,
  width: { track: "minmax(14rem, 2fr)", min: 224 },
});
