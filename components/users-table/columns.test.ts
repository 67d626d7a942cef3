import { createElement, Fragment, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { exportColumnsOf } from "@/lib/export/columns";
import { USER_COLUMNS, type UserColumn } from "@/lib/users/columns";
import type { User } from "@/lib/users/schema";

import { TABLE_COLUMNS, tableColumnsOf } from "./columns";

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
function shown(def: (typeof TABLE_COLUMNS)["telnyx"][number], user: User): string {
  const cell = def.cell as (info: { row: { original: User } }) => ReactNode;
  return renderToStaticMarkup(createElement(Fragment, null, cell({ row: { original: user } })))
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

    const table = tableColumnsOf("telnyx", columns);
    const def = table.find((c) => c.id === "mfa");
    // The chooser lists every column it may hide, by its header.
    expect(def).toMatchObject({ header: "MFA", enableHiding: true, meta: { minWidth: 80 } });
    expect(shown(def!, ana)).toBe("Yes");

    const csv = exportColumnsOf(columns);
    expect(csv.map((c) => c.id).at(-1)).toBe("mfa_enabled");
    expect(csv.at(-1)).toMatchObject({ label: "MFA", dashboardId: "mfa" });
    expect(csv.at(-1)!.value(ana)).toBe("true");
  });

  it("keeps each vendor's table and CSV on the same columns, in order", () => {
    for (const provider of ["telnyx", "openai"] as const) {
      const ids = TABLE_COLUMNS[provider].map((c) => c.id);
      expect(ids).toEqual(USER_COLUMNS[provider].map((c) => c.id));
      expect(exportColumnsOf(USER_COLUMNS[provider]).map((c) => c.dashboardId ?? "id")).toEqual([
        "id",
        ...ids,
      ]);
    }
  });

  it("shows values in words where the CSV keeps the vendor's", () => {
    const byId = (provider: "telnyx" | "openai", id: string) =>
      TABLE_COLUMNS[provider].find((c) => c.id === id)!;
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
});
