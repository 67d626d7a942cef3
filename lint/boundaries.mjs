/**
 * The line between browser and server, checked by lint: a module the browser
 * loads (anything under components/, a file that starts with "use client",
 * a client hook `lib/.../use-*.ts(x)`) must not import a module that starts
 * with `import "server-only"`. Next's build would fail later, and less
 * clearly; this names both files at the import.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const EXTENSIONS = ["", ".ts", ".tsx", ".mjs", ".js", "/index.ts", "/index.tsx"];
const SERVER_ONLY = /^\s*import\s+["']server-only["']/m;

/** Whether a file is server-only, by path; read once per lint run. */
const serverOnlyCache = new Map();

/**
 * @param {string} source
 * @param {string} fromFile
 * @returns {string | null}
 */
function resolveImport(source, fromFile) {
  let base;
  if (source.startsWith("@/")) base = path.join(ROOT, source.slice(2));
  else if (source.startsWith(".")) base = path.resolve(path.dirname(fromFile), source);
  else return null;
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return null;
}

/** @param {string} file */
function isServerOnly(file) {
  let known = serverOnlyCache.get(file);
  if (known === undefined) {
    known = SERVER_ONLY.test(readFileSync(file, "utf8"));
    serverOnlyCache.set(file, known);
  }
  return known;
}

/**
 * @param {string} filename
 * @param {import("eslint").SourceCode} sourceCode
 */
function isBrowserModule(filename, sourceCode) {
  const relative = path.relative(ROOT, filename).split(path.sep).join("/");
  if (relative.startsWith("components/")) return true;
  if (/^lib\/.*\/use-[^/]+\.tsx?$/.test(relative)) return true;
  const first = sourceCode.ast.body[0];
  return (
    first?.type === "ExpressionStatement" &&
    "directive" in first &&
    first.directive === "use client"
  );
}

/** @type {import("eslint").Rule.RuleModule} */
const noServerOnlyInBrowser = {
  meta: {
    type: "problem",
    docs: { description: "Browser modules must not import server-only modules" },
    schema: [],
    messages: {
      serverOnly:
        "{{file}} is loaded in the browser but imports {{target}}, which is server-only (it imports 'server-only').",
    },
  },
  create(context) {
    const filename = context.filename;
    if (!isBrowserModule(filename, context.sourceCode)) return {};
    const relative = path.relative(ROOT, filename);
    /**
     * @param {import("eslint").Rule.Node} node
     * @param {unknown} source
     */
    const check = (node, source) => {
      if (typeof source !== "string") return;
      if (source === "server-only") {
        context.report({ node, messageId: "serverOnly", data: { file: relative, target: source } });
        return;
      }
      const target = resolveImport(source, filename);
      if (target && isServerOnly(target)) {
        context.report({
          node,
          messageId: "serverOnly",
          data: { file: relative, target: path.relative(ROOT, target) },
        });
      }
    };
    return {
      ImportDeclaration(node) {
        if (typeOnly(node)) return;
        check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === "Literal") check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source && !typeOnly(node)) check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        if (!typeOnly(node)) check(node, node.source.value);
      },
    };
  },
};

/**
 * `import type` / `export type`: erased before the browser sees it (a TypeScript field).
 * @param {object} node
 */
function typeOnly(node) {
  const kind = /** @type {{ importKind?: string, exportKind?: string }} */ (node);
  return kind.importKind === "type" || kind.exportKind === "type";
}

const plugin = {
  meta: { name: "roster-boundaries" },
  rules: { "no-server-only-in-browser": noServerOnlyInBrowser },
};

export default plugin;
