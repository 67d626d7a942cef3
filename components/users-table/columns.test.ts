import { createElement, Fragment, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { exportColumnsOf } from "@/lib/export/columns";
import { USER_COLUMNS, type UserColumn } from "@/lib/users/columns";
import type { User } from "@/lib/users/schema";

import { hideableColumns, renderCell, visibleColumnsOf } from "./columns";

const ana: User = {
  id: "u1",
  provider: "telnyx",
  email: "ana@example.com",
  name: null,
  status: "enabled",
  role: "owner",
  createdAt: "2024-03-01T08:00:00.000Z",
  lastActiveAt: null,
  groups: [{ id: "g1", name: "Ops" }],
  vendor: { mfa_enabled: true, organization_user_bypasses_sso: false },
};

/** What a table cell shows, as text. */
function shown(column: UserColumn, user: User): string {
  const cell: ReactNode = renderCell(column, user, user.provider);
  return renderToStaticMarkup(createElement(Fragment, null, cell))
    .replace(/<[^>]+>/g, "")
    .trim();
}

describe("a column defined once", () => {
  it("shows one new entry in the table, the chooser and the CSV", () => {
    const mfa: UserColumn = {
      id: "mfa",
      csv: "mfa_enabled",
      label: "MFA",
      cell: "yesNo",
      value: (user) =>
        typeof user.vendor.mfa_enabled === "boolean" ? user.vendor.mfa_enabled : null,
      width: { track: "minmax(5rem, 0.5fr)", min: 80 },
    };
    const columns = [...USER_COLUMNS.telnyx, mfa];

    // The table shows it unless hidden; the chooser lists it, by its label.
    expect(visibleColumnsOf(columns, {}, false).at(-1)).toBe(mfa);
    expect(visibleColumnsOf(columns, { mfa: false }, false)).not.toContain(mfa);
    expect(hideableColumns(columns).map((c) => c.label)).toContain("MFA");
    expect(shown(mfa, ana)).toBe("Yes");

    const csv = exportColumnsOf(columns);
    expect(csv.map((c) => c.id).at(-1)).toBe("mfa_enabled");
    expect(csv.at(-1)).toMatchObject({ label: "MFA", dashboardId: "mfa" });
    expect(csv.at(-1)!.value(ana)).toBe("true");
  });

  it("keeps each vendor's table and CSV on the same columns, in order", () => {
    for (const provider of ["telnyx", "openai"] as const) {
      const ids = visibleColumnsOf(USER_COLUMNS[provider], {}, true).map((c) => c.id);
      expect(ids).toEqual(USER_COLUMNS[provider].map((c) => c.id));
      expect(exportColumnsOf(USER_COLUMNS[provider]).map((c) => c.dashboardId ?? "id")).toEqual([
        "id",
        ...ids,
      ]);
    }
  });

  it("shows values in words where the CSV keeps the vendor's", () => {
    const byId = (provider: "telnyx" | "openai", id: string) =>
      USER_COLUMNS[provider].find((c) => c.id === id)!;
    expect(shown(byId("telnyx", "role"), ana)).toBe("Owner");
    expect(shown(byId("telnyx", "ssoBypass"), ana)).toBe("No");
    const bot: User = {
      ...ana,
      provider: "openai",
      role: "reader",
      vendor: { is_service_account: true },
    };
    expect(shown(byId("openai", "account"), bot)).toBe("Service account");
    expect(shown(byId("openai", "role"), bot)).toBe("Reader");
    const csv = exportColumnsOf(USER_COLUMNS.openai);
    expect(csv.find((c) => c.id === "account")!.value(bot)).toBe("service_account");
    expect(csv.find((c) => c.id === "role")!.value(bot)).toBe("reader");
  });

  it("shows the groups column only while Show groups is on, and as the admin left it", () => {
    const ids = (saved: Record<string, boolean>, showGroups: boolean) =>
      visibleColumnsOf(USER_COLUMNS.telnyx, saved, showGroups).map((c) => c.id);
    expect(ids({}, false)).not.toContain("groups");
    expect(ids({}, true)).toContain("groups");
    expect(ids({ groups: false }, true)).not.toContain("groups");
    expect(ids({ groups: true }, false)).not.toContain("groups");
  });
});
