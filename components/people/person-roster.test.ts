import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { RosterEntry, RosterUpload } from "@/lib/people/schema";

import { PersonRoster } from "./person-roster";

const UPLOAD: RosterUpload = {
  id: 3,
  rows: 3534,
  uploadedAt: "2026-12-07T19:31:27.000Z",
  uploadedBy: "ana@example.com",
  sha256: "a".repeat(64),
};

const text = (entry: RosterEntry | null, upload: RosterUpload | null) =>
  renderToStaticMarkup(createElement(PersonRoster, { entry, upload })).replace(/<[^>]+>/g, "");

describe("PersonRoster", () => {
  it("shows the person's entry in the roster", () => {
    const entry: RosterEntry = {
      email: "bo@example.com",
      name: "Bo Li",
      department: "Finance",
      manager: null,
      status: "left",
      endDate: "2026-11-30",
    };
    expect(text(entry, UPLOAD)).toBe("Bo Li · Finance · left · end date 2026-11-30");
  });

  it("says which roster does not list them", () => {
    expect(text(null, UPLOAD)).toBe(
      "Not in the HR roster in force (3,534 people, uploaded by ana@example.com on 2026-12-07).",
    );
    expect(text(null, { ...UPLOAD, rows: 1 })).toContain("(1 person, uploaded");
  });

  it("says when no roster is loaded, and where to upload one", () => {
    const html = renderToStaticMarkup(createElement(PersonRoster, { entry: null, upload: null }));
    expect(html).toContain('href="/people"');
    expect(text(null, null)).toBe(
      "No HR roster is loaded: upload one on People to see who has left.",
    );
  });
});
