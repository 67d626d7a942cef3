/**
 * `npm run demo`: the sandbox and a production build of Roster wired to it,
 * with a demo admin whose password is made up at each run and printed.
 * Ctrl-C stops both.
 *
 *   npm run demo                      build, then serve on 127.0.0.1:3000
 *   npm run demo -- --no-build        reuse the last demo build
 *   DEMO_PORT=3001 DEMO_SANDBOX_PORT=4011 npm run demo
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { hashPassword } from "../lib/auth/password";
import { DEFAULTS } from "../sandbox/data";
import { startSandbox } from "../sandbox/server";

import { seedDemoHistory } from "./demo-history";

const root = path.resolve(import.meta.dirname, "..");
const appPort = portFromEnv("DEMO_PORT", 3000);
const sandboxPort = portFromEnv("DEMO_SANDBOX_PORT", 4010);
const distDir = ".next-demo";
/** The demo's own embedded database, whatever ROSTER_DATA_DIR says. */
const demoDataDir = path.join(root, ".roster", "demo");
const skipBuild = process.argv.includes("--no-build");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name]?.trim();
  if (!text) return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    fail(`${name} must be a port number from 1 to 65535 (got ${JSON.stringify(text)}).`);
  }
  return port;
}

/** Why 127.0.0.1:`port` cannot be listened on (`EADDRINUSE`, ...), or null when it is free. */
function portProblem(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(null)));
  });
}

/**
 * Refuses to start (before a build of minutes) when a port is taken: otherwise
 * the demo would print its password beside the URL of whatever already listens there.
 */
async function checkPorts(): Promise<void> {
  if (appPort === sandboxPort) {
    fail(`DEMO_PORT and DEMO_SANDBOX_PORT are both ${appPort}: give them different ports.`);
  }
  for (const [name, port] of [
    ["DEMO_SANDBOX_PORT", sandboxPort],
    ["DEMO_PORT", appPort],
  ] as const) {
    const problem = await portProblem(port);
    if (problem === "EADDRINUSE") {
      fail(
        `Port ${port} on 127.0.0.1 is in use (${name}). Stop what listens there, or pick another port: ${name}=${port + 1} npm run demo`,
      );
    }
    if (problem) fail(`Cannot listen on 127.0.0.1:${port} (${name}): ${problem}`);
  }
}

function runNext(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** Polls the app until it answers, for at most `timeoutMs` and while `running()`. */
async function waitForApp(
  url: string,
  timeoutMs: number,
  running: () => boolean,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && running()) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return running();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
}

async function main() {
  // The demo syncs the sandbox's made-up users and signs its admin in: never into a real
  // database, a server's or an instance's embedded folder.
  for (const name of ["DATABASE_URL", "ROSTER_DATA_DIR"]) {
    if (process.env[name]?.trim()) {
      console.log(`Ignoring ${name}: the demo keeps its own embedded database in ${demoDataDir}.`);
    }
  }
  await checkPorts();
  const sandbox = await startSandbox({ port: sandboxPort }).catch((error: unknown) =>
    fail(
      `The sandbox cannot listen on 127.0.0.1:${sandboxPort} (DEMO_SANDBOX_PORT): ${String(error)}`,
    ),
  );
  console.log(
    `Sandbox: ${sandbox.url} (Telnyx ${sandbox.data.telnyx.length} users, OpenAI ${sandbox.data.openai.length} users)`,
  );

  const email = "admin@roster.demo";
  const password = process.env.DEMO_PASSWORD ?? randomBytes(9).toString("base64url");
  const appUrl = `http://127.0.0.1:${appPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    ROSTER_DIST_DIR: distDir,
    // The demo's own embedded database; its schedule syncs both vendors at start.
    ROSTER_DATA_DIR: demoDataDir,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    ROSTER_ADMINS: `${email}=${await hashPassword(password)}`,
    TELNYX_API_KEY: DEFAULTS.telnyxKey,
    TELNYX_BASE_URL: `${sandbox.url}/v2`,
    OPENAI_ADMIN_KEY: DEFAULTS.openaiKey,
    OPENAI_BASE_URL: `${sandbox.url}/v1`,
  };
  // The SDK would fetch an OAuth token from the real api.telnyx.com.
  delete env.TELNYX_CLIENT_ID;
  delete env.TELNYX_CLIENT_SECRET;
  delete env.DATABASE_URL;

  let app: ChildProcess | undefined;
  let appRunning = false;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    app?.kill("SIGTERM");
    await sandbox.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  if (!skipBuild || !existsSync(path.join(root, distDir, "BUILD_ID"))) {
    console.log("Building Roster (production)...");
    const build = runNext(["build"], env);
    app = build;
    if ((await exited(build)) !== 0) {
      console.error("The build failed; see above.");
      return stop(1);
    }
  }
  // The standalone server, as the container runs it (`next start` warns that it is not for standalone builds).
  app = spawn(
    process.execPath,
    [path.join(root, "scripts/start-standalone.mjs"), String(appPort)],
    {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  appRunning = true;
  void exited(app).then((code) => {
    appRunning = false;
    if (!stopping) {
      console.error(`Roster exited with code ${code}.`);
      void stop(code || 1);
    }
  });

  if (!(await waitForApp(`${appUrl}/signin`, 60_000, () => appRunning))) {
    if (!appRunning) return; // its exit is reported above
    console.error(`Roster did not answer at ${appUrl} within 60 s.`);
    return stop(1);
  }
  console.log(
    "Giving the demo some history: sync, change a few sandbox users, sync again, upload an HR roster...",
  );
  await seedDemoHistory({ appUrl, sandbox, email, password })
    .then(({ changes, rosterLeft }) => {
      const text = changes.map(
        (r) =>
          `${r.vendor}: ${r.removed.length} left, ${r.added.length} joined, ${r.changed.length} changed`,
      );
      console.log(`History: ${text.join("; ")}. See Changes and Activity.`);
      console.log(`HR roster in force, ${rosterLeft} people marked as left: see People.`);
    })
    .catch((error: unknown) => {
      // The demo works without it; say why the history is missing.
      console.warn(`No demo history: ${error instanceof Error ? error.message : String(error)}`);
    });
  console.log(
    [
      "",
      `Roster demo: ${appUrl}`,
      `  Sign in as ${email}`,
      `  Password   ${password}`,
      "Both vendors point at the sandbox. Ctrl-C stops both servers.",
      "",
    ].join("\n"),
  );
}

await main();
