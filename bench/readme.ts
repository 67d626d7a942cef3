/**
 * The README tables, generated from a results file: the whole table into
 * bench/README.md, and one line per target into README.md's "Benchmarks".
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { format, resolveConfig } from "prettier";

import type { NotBuilt } from "./context";
import type { Target } from "./report";
import { ROOT } from "./servers";

export interface ResultsFile {
  mode: string;
  date: string;
  commit: string | null;
  dirty: boolean;
  cpus: number;
  loadAverage: { start: number[] };
  durationSeconds: number;
  table: string;
  notes?: string[];
  notBuilt?: NotBuilt[];
  targets: (Target & { id: string; label: string; median: number; max: number; status?: string })[];
}

const MARKERS = {
  table: ["<!-- bench:table:start -->", "<!-- bench:table:end -->"],
  targets: ["<!-- bench:targets:start -->", "<!-- bench:targets:end -->"],
} as const;

/** Replaces the block between the markers, formatted as `npm run lint` expects the file. */
async function replaceBlock(
  file: string,
  [start, end]: readonly [string, string],
  body: string,
): Promise<void> {
  const text = readFileSync(file, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from)
    throw new Error(`${path.relative(ROOT, file)} has no ${start} … ${end} markers`);
  const replaced = `${text.slice(0, from)}${start}\n\n${body}\n\n${end}${text.slice(to + end.length)}`;
  writeFileSync(file, await format(replaced, { ...(await resolveConfig(file)), filepath: file }));
}

export function describeRun(results: ResultsFile): string {
  return `${results.mode} run, ${results.date.slice(0, 10)}, commit ${results.commit?.slice(0, 7) ?? "unknown"}${results.dirty ? " (uncommitted changes)" : ""}, ${results.cpus} CPUs, load average ${results.loadAverage.start[0]?.toFixed(1) ?? "?"} at the start, ${results.durationSeconds} s`;
}

function formatValue(value: number): string {
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", {
    maximumFractionDigits: decimals,
    minimumFractionDigits: decimals,
  });
}

/** One Markdown row per target, then one per figure not built or not measured in this run. */
export function targetsMarkdown(results: ResultsFile): string {
  const rows = results.targets.map((t) => {
    const held = t.by === "max" ? `worst ${formatValue(t.max)}` : formatValue(t.median);
    const goal = `${t.by === "max" ? "worst " : ""}${t.op === "<=" ? "≤" : "≥"} ${t.value}`;
    return `| ${t.label} | ${goal} | ${held} | ${t.status === "PASS" ? "pass" : "miss"} |`;
  });
  const missing = (results.notBuilt ?? []).map(
    (n) => `| ${n.reason} | | | ${n.kind ?? "not built"} |`,
  );
  return [
    `From \`bench/results/latest.json\` (${describeRun(results)}):`,
    "",
    "| figure | target | measured | |",
    "| --- | --- | --- | --- |",
    ...rows,
    ...missing,
  ].join("\n");
}

/** Rewrites both READMEs' generated blocks from `results`. */
export async function updateReadmes(results: ResultsFile): Promise<void> {
  const printed = results.notes?.length
    ? `${results.table}\n\nNotes:\n${results.notes.join("\n")}`
    : results.table;
  await replaceBlock(
    path.join(ROOT, "bench/README.md"),
    MARKERS.table,
    `${describeRun(results)}\n\n\`\`\`text\n${printed}\n\`\`\``,
  );
  await replaceBlock(path.join(ROOT, "README.md"), MARKERS.targets, targetsMarkdown(results));
}

export function readResults(file: string): ResultsFile {
  return JSON.parse(readFileSync(file, "utf8")) as ResultsFile;
}
