/** Figures with their targets, the stdout table, and the JSON results file. */
import { renameSync, writeFileSync } from "node:fs";

import type { NotBuilt } from "./context";
import { summarize, type Summary } from "./stats";

export interface Target {
  op: "<=" | ">=";
  value: number;
  /** Which statistic is held to the target: the median, or the worst run for a ceiling. */
  by: "median" | "max";
}

export interface Figure extends Summary {
  id: string;
  section: string;
  label: string;
  unit: string;
  decimals: number;
  target?: Target;
  /** Against the target, by `target.by`. */
  status?: "PASS" | "MISS";
}

export function figure(
  id: string,
  section: string,
  label: string,
  unit: string,
  values: readonly number[],
  options: { decimals?: number; target?: Target } = {},
): Figure {
  const summary = summarize(values);
  const result: Figure = { id, section, label, unit, decimals: options.decimals ?? 2, ...summary };
  if (options.target) {
    const { op, value, by } = options.target;
    const held = summary[by];
    result.target = options.target;
    result.status = (op === "<=" ? held <= value : held >= value) ? "PASS" : "MISS";
  }
  return result;
}

function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/**
 * A plain-text table, one block per section; also valid inside a Markdown
 * code fence. Figures whose feature is missing are listed as "not built" in
 * their section, never left out silently.
 */
export function renderTable(
  figures: readonly Figure[],
  notBuilt: readonly NotBuilt[] = [],
): string {
  const rows = figures.map((f) => {
    const unit = f.unit ? ` (${f.unit})` : "";
    const same = f.min === f.max;
    return {
      section: f.section,
      cells: [
        `${f.label}${unit}`,
        String(f.runs),
        formatNumber(f.median, f.decimals),
        same ? "" : `${formatNumber(f.min, f.decimals)}–${formatNumber(f.max, f.decimals)}`,
        f.target
          ? `${f.target.by === "max" ? "max " : ""}${f.target.op === "<=" ? "≤" : "≥"} ${f.target.value.toLocaleString("en-US")}`
          : "",
        f.status ?? "",
      ],
    };
  });
  const header = ["Figure", "Runs", "Median", "Min–Max", "Target", "Status"];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, i >= 1 && i <= 3))
      .join("  ")
      .trimEnd();
  const out: string[] = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  let section = "";
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      out.push("", section);
      for (const missing of notBuilt.filter((n) => n.section === section)) {
        out.push(`${missing.kind ?? "not built"}: ${missing.reason}`);
      }
    }
    out.push(line(row.cells));
  }
  const shown = new Set(rows.map((row) => row.section));
  for (const missing of notBuilt.filter((n) => !shown.has(n.section))) {
    out.push("", missing.section, `${missing.kind ?? "not built"}: ${missing.reason}`);
  }
  const targeted = figures.filter((f) => f.status);
  const missed = targeted.filter((f) => f.status === "MISS");
  out.push(
    "",
    `Targets: ${targeted.length - missed.length} of ${targeted.length} met${missed.length ? `; missed: ${missed.map((f) => f.id).join(", ")}` : ""}.`,
  );
  for (const kind of ["not built", "not measured"] as const) {
    const ids = notBuilt.filter((n) => (n.kind ?? "not built") === kind).map((n) => n.id);
    if (ids.length > 0)
      out.push(`${kind === "not built" ? "Not built" : "Not measured"}: ${ids.join(", ")}.`);
  }
  return out.join("\n");
}

/** Writes JSON through a temporary file, so that a reader never sees half a file. */
export function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

export function figuresById(figures: readonly Figure[]): Record<string, Omit<Figure, "id">> {
  return Object.fromEntries(figures.map(({ id, ...rest }) => [id, rest]));
}
