import { describe, expect, it } from "vitest";

import { changesFilename, exportFilename, filenameFromDisposition } from "./filename";

describe("exportFilename", () => {
  it("names the provider and the UTC date", () => {
    expect(exportFilename("openai", new Date("2025-01-31T23:30:00-05:00"))).toBe(
      "roster-openai-users-2025-02-01.csv",
    );
  });
});

describe("changesFilename", () => {
  it("names what a filtered Changes export kept, so two exports do not share a name", () => {
    expect(
      ([{}, { change: "removed" }, { change: "changed", field: "role" }] as const).map((only) =>
        changesFilename({ provider: "openai", ...only }),
      ),
    ).toEqual([
      "roster-openai-changes.csv",
      "roster-openai-changes-removed.csv",
      "roster-openai-changes-role.csv",
    ]);
  });
});

describe("filenameFromDisposition", () => {
  it("reads quoted and bare file names", () => {
    expect(
      filenameFromDisposition('attachment; filename="roster-telnyx-users-2025-01-31.csv"'),
    ).toBe("roster-telnyx-users-2025-01-31.csv");
    expect(filenameFromDisposition("attachment; filename=a.csv; size=3")).toBe("a.csv");
  });

  it("makes hostile names harmless and gives null when there is none", () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/pass wd"')).toBe(
      "_.._etc_pass_wd",
    );
    expect(filenameFromDisposition("attachment")).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
