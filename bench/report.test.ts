import { describe, expect, it } from "vitest";

import { targetsMarkdown, type ResultsFile } from "./readme";
import { figure, renderTable } from "./report";

describe("figure", () => {
  it("holds a ceiling to the worst run and a goal to the median", () => {
    const ceiling = figure("a", "S", "a", "MiB", [10, 70, 20], {
      target: { op: "<=", value: 64, by: "max" },
    });
    const goal = figure("b", "S", "b", "×", [1.0, 1.3, 1.1], {
      target: { op: "<=", value: 1.15, by: "median" },
    });
    expect(ceiling.status).toBe("MISS");
    expect(goal.median).toBeCloseTo(1.1);
    expect(goal.status).toBe("PASS");
  });
});

describe("renderTable", () => {
  const measured = figure("api.x", "API", "x latency", "ms", [2, 4], {
    target: { op: "<=", value: 3, by: "median" },
  });

  it("lists a feature that is not built under its own section, and in the summary", () => {
    const table = renderTable(
      [measured],
      [{ id: "people", section: "People", reason: "GET /api/people answers 404" }],
    );
    const lines = table.split("\n");
    const section = lines.indexOf("People");
    expect(section).toBeGreaterThan(0);
    expect(lines[section + 1]).toBe("not built: GET /api/people answers 404");
    expect(table).toContain("Not built: people.");
    expect(table).toContain("Targets: 1 of 1 met.");
  });

  it("puts a partly built module's missing part beside its measured figures", () => {
    const table = renderTable(
      [measured],
      [
        {
          id: "sync.postgres",
          section: "API",
          reason: "PostgreSQL: no database",
          kind: "not measured",
        },
      ],
    );
    const lines = table.split("\n");
    expect(lines[lines.indexOf("API") + 1]).toBe("not measured: PostgreSQL: no database");
    expect(table).toContain("Not measured: sync.postgres.");
    expect(table).not.toContain("Not built:");
    expect(lines.filter((l) => l === "API")).toHaveLength(1);
  });

  it("names the missed targets", () => {
    const missed = figure("api.y", "API", "y", "ms", [5], {
      target: { op: "<=", value: 3, by: "median" },
    });
    expect(renderTable([measured, missed])).toContain("Targets: 1 of 2 met; missed: api.y.");
  });
});

describe("targetsMarkdown", () => {
  it("says whether a missing figure was not built or only not measured in the run", () => {
    const results: ResultsFile = {
      mode: "full",
      date: "2026-12-04T00:00:00.000Z",
      commit: "abc",
      dirty: false,
      cpus: 2,
      loadAverage: { start: [0.5] },
      durationSeconds: 60,
      table: "",
      targets: [],
      notBuilt: [
        { id: "people", section: "People", reason: "GET /api/people answers 404" },
        {
          id: "sync.postgres",
          section: "Sync",
          reason: "PostgreSQL: set BENCH_DATABASE_URL",
          kind: "not measured",
        },
      ],
    };
    const markdown = targetsMarkdown(results);
    expect(markdown).toContain("| GET /api/people answers 404 | | | not built |");
    expect(markdown).toContain("| PostgreSQL: set BENCH_DATABASE_URL | | | not measured |");
  });
});
