import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs `npm run demo -- --no-build`; each case here must end before any build starts. */
function runDemo(env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--no-build"], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), 20_000);
    child.on("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const servers: net.Server[] = [];

/** A server on a free port of 127.0.0.1, standing for whatever already listens there. */
async function occupiedPort(): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("npm run demo", () => {
  it("refuses a taken app port, naming DEMO_PORT, and prints no password", async () => {
    const appPort = await occupiedPort();
    const { status, stdout, stderr } = await runDemo({
      DEMO_PORT: String(appPort),
      DEMO_SANDBOX_PORT: String(await freePort()),
    });
    expect(status).toBe(1);
    expect(stderr).toContain(`Port ${appPort} on 127.0.0.1 is in use (DEMO_PORT)`);
    expect(stdout).not.toMatch(/Password|Building/);
  });

  it("refuses a taken sandbox port with a message naming DEMO_SANDBOX_PORT, not a stack trace", async () => {
    const sandboxPort = await occupiedPort();
    const { status, stderr } = await runDemo({
      DEMO_PORT: String(await freePort()),
      DEMO_SANDBOX_PORT: String(sandboxPort),
    });
    expect(status).toBe(1);
    expect(stderr).toContain(`Port ${sandboxPort} on 127.0.0.1 is in use (DEMO_SANDBOX_PORT)`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("keeps out of the database in DATABASE_URL, and says so", async () => {
    const { stdout } = await runDemo({
      DATABASE_URL: "postgres://roster@127.0.0.1:1/roster",
      DEMO_PORT: String(await occupiedPort()),
      DEMO_SANDBOX_PORT: String(await freePort()),
    });
    expect(stdout).toContain("Ignoring DATABASE_URL: the demo keeps its own embedded database");
  });

  it("keeps out of the embedded database in ROSTER_DATA_DIR, and says so", async () => {
    const { stdout } = await runDemo({
      ROSTER_DATA_DIR: "/srv/roster-data",
      DEMO_PORT: String(await occupiedPort()),
      DEMO_SANDBOX_PORT: String(await freePort()),
    });
    expect(stdout).toContain(
      `Ignoring ROSTER_DATA_DIR: the demo keeps its own embedded database in ${path.join(root, ".roster", "demo")}.`,
    );
  });

  it("refuses a port that is not a number", async () => {
    const { status, stderr } = await runDemo({ DEMO_PORT: "30o1" });
    expect(status).toBe(1);
    expect(stderr).toContain('DEMO_PORT must be a port number from 1 to 65535 (got "30o1")');
  });
});
