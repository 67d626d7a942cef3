import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript file (a path from the repository root, or absolute) in a
 * process of its own, as `npm run` runs it (`--conditions=react-server`, tsx),
 * from a throwaway working directory that holds only `lib/` (a link: the
 * migrations are found from the working directory) and `envFiles`. So a developer's own `.env.local`
 * at the repository's root never reaches the script. `DATABASE_URL` and
 * `NODE_ENV` are dropped from the environment unless `env` sets them.
 */
export async function runScript(
  file: string,
  env: Record<string, string> = {},
  envFiles: Record<string, string> = {},
): Promise<ScriptRun> {
  const cwd = mkdtempSync(path.join(tmpdir(), "roster-script-"));
  try {
    symlinkSync(path.join(root, "lib"), path.join(cwd, "lib"));
    for (const [name, text] of Object.entries(envFiles)) writeFileSync(path.join(cwd, name), text);
    // NODE_ENV: Vitest's `test`, under which Next.js's env loader skips `.env.local`; `npm run`
    // sets none.
    const dropped = new Set(["DATABASE_URL", "NODE_ENV"]);
    const childEnv: Record<string, string | undefined> = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !dropped.has(name))),
      ...env,
      TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json"),
    };
    const loader = path.join(root, "node_modules/tsx/dist/loader.mjs");
    return await new Promise<ScriptRun>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--conditions=react-server", "--import", loader, path.resolve(root, file)],
        // No NODE_ENV, which Next.js's types make required.
        { cwd, env: childEnv as NodeJS.ProcessEnv },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
