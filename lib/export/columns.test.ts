import { describe, expect, it } from "vitest";

import { USER_COLUMNS } from "@/lib/users/columns";
import type { User } from "@/lib/users/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";

import {
  EXPORT_COLUMNS,
  exportColumnIds,
  exportColumnsForView,
  type ExportColumn,
} from "./columns";

function user(overrides: Partial<User>): User {
  return {
    id: "u1",
    provider: "telnyx",
    email: null,
    name: null,
    status: "enabled",
    role: null,
    createdAt: null,
    lastActiveAt: null,
    groups: null,
    vendor: {},
    ...overrides,
  };
}

function cell(provider: "telnyx" | "openai", id: string, u: User): string | null {
  const column = (EXPORT_COLUMNS[provider] as readonly ExportColumn[]).find((c) => c.id === id);
  if (!column) throw new Error(`no column ${id}`);
  return column.value(u);
}

describe("EXPORT_COLUMNS", () => {
  it("has the ids the export documents", () => {
    expect(exportColumnIds("telnyx")).toEqual([
      "id",
      "email",
      "status",
      "role",
      "sso_bypass",
      "created_at",
      "last_sign_in_at",
      "groups",
    ]);
    expect(exportColumnIds("openai")).toEqual([
      "id",
      "name",
      "email",
      "role",
      "status",
      "account",
      "added_at",
      "last_api_key_use",
      "projects",
    ]);
  });

  it.each(PROVIDER_IDS)(
    "follows the dashboard's %s columns, in order, with the same labels",
    (provider) => {
      const exported = (EXPORT_COLUMNS[provider] as readonly ExportColumn[]).slice(1);
      expect(exported.map((c) => [c.dashboardId, c.label])).toEqual(
        USER_COLUMNS[provider].map((c) => [c.id, c.label]),
      );
    },
  );

  it("writes dates as ISO 8601 UTC", () => {
    const u = user({
      createdAt: "2024-03-01T10:00:00+02:00",
      lastActiveAt: "2024-03-02T00:00:00Z",
    });
    expect(cell("telnyx", "created_at", u)).toBe("2024-03-01T08:00:00.000Z");
    expect(cell("openai", "last_api_key_use", u)).toBe("2024-03-02T00:00:00.000Z");
    expect(cell("telnyx", "last_sign_in_at", user({}))).toBeNull();
  });

  it("flattens groups and projects into one cell", () => {
    const groups = [
      { id: "g1", name: "Sales, EMEA" },
      { id: "g2", name: "Ops" },
    ];
    expect(cell("telnyx", "groups", user({ groups }))).toBe("Sales, EMEA; Ops");
    expect(cell("openai", "projects", user({ groups: [] }))).toBe("");
    expect(cell("openai", "projects", user({ groups: null }))).toBeNull();
  });

  it("reads SSO bypass and the OpenAI account kind from the vendor record", () => {
    expect(
      cell("telnyx", "sso_bypass", user({ vendor: { organization_user_bypasses_sso: false } })),
    ).toBe("false");
    expect(cell("telnyx", "sso_bypass", user({ vendor: {} }))).toBeNull();
    const account = (vendor: Record<string, unknown>) =>
      cell("openai", "account", user({ vendor }));
    expect(account({ is_service_account: true, is_scim_managed: true })).toBe("service_account");
    expect(account({ is_scim_managed: true })).toBe("scim_managed");
    expect(account({ is_service_account: false })).toBe("user");
  });
});

describe("exportColumnsForView", () => {
  it("puts id first and maps the dashboard's ids, keeping their order", () => {
    expect(
      exportColumnsForView("openai", ["email", "lastActiveAt", "name", "groups"], true),
    ).toEqual(["id", "email", "last_api_key_use", "name", "projects"]);
    expect(
      exportColumnsForView("telnyx", ["status", "created_at", "unknown", "status"], true),
    ).toEqual(["id", "status", "created_at"]);
  });

  it("leaves groups out while they are not shown", () => {
    expect(exportColumnsForView("telnyx", ["email", "groups"], false)).toEqual(["id", "email"]);
  });
});
