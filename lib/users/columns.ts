import type { ProviderId } from "./schema";

/**
 * The dashboard's column ids and labels per provider, in display order. The
 * table's column definitions use these ids, and the export receives the
 * visible ones, so both speak of the same columns.
 */
export const USER_COLUMNS = {
  telnyx: [
    { id: "email", label: "Email" },
    { id: "status", label: "Status" },
    { id: "role", label: "Role" },
    { id: "ssoBypass", label: "SSO bypass" },
    { id: "createdAt", label: "Created" },
    { id: "lastActiveAt", label: "Last sign-in" },
    { id: "groups", label: "Groups" },
  ],
  openai: [
    { id: "name", label: "Name" },
    { id: "email", label: "Email" },
    { id: "role", label: "Role" },
    { id: "status", label: "Status" },
    { id: "account", label: "Account" },
    { id: "createdAt", label: "Added" },
    { id: "lastActiveAt", label: "Last API key use" },
    { id: "groups", label: "Projects" },
  ],
} as const satisfies Record<ProviderId, ReadonlyArray<{ id: string; label: string }>>;

export type UserColumnId<P extends ProviderId = ProviderId> =
  (typeof USER_COLUMNS)[P][number]["id"];

/** Columns that stay on a phone-width screen. */
export const PHONE_COLUMNS: ReadonlySet<string> = new Set(["email", "status"]);

/** What Telnyx calls groups, OpenAI calls projects. */
export const GROUPS_LABEL = { telnyx: "groups", openai: "projects" } as const satisfies Record<
  ProviderId,
  string
>;

/** Column id -> label for one provider, for headers and the column chooser. */
export function columnLabels<P extends ProviderId>(provider: P): Record<UserColumnId<P>, string> {
  return Object.fromEntries(USER_COLUMNS[provider].map((c) => [c.id, c.label])) as Record<
    UserColumnId<P>,
    string
  >;
}
