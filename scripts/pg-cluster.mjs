// @ts-check
/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder,
 * `pg_ctl start` on 127.0.0.1 at a free port, trust auth, no fsync; `stop()`
 * stops it and deletes the folder. Uses Debian's `postgresql` package
 * (installed as root when missing, as the test runner does for Chromium);
 * `PG_BIN` names another bin folder. As root, the server runs as `postgres`
 * (initdb refuses root).
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** @returns {string | null} */
function findBin() {
  if (process.env.PG_BIN)
    return existsSync(path.join(process.env.PG_BIN, "initdb")) ? process.env.PG_BIN : null;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** @returns {string} the bin folder, installing Debian's package as root when needed */
export function ensurePostgres() {
  let bin = findBin();
  if (!bin && isRoot && existsSync("/usr/bin/apt-get")) {
    console.log(
      "PostgreSQL not found: installing Debian's package (apt-get install -y postgresql)...",
    );
    const update = spawnSync("apt-get", ["update"], { stdio: "inherit" });
    if (update.status === 0) {
      spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    }
    bin = findBin();
  }
  if (!bin) {
    throw new Error(
      "No PostgreSQL server binaries for the tests. Install Debian's (as root: apt-get install -y postgresql), " +
        "set PG_BIN to a folder holding initdb and pg_ctl, or set TEST_DATABASE_URL to a server the tests may create databases on.",
    );
  }
  return bin;
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} bin
 * @param {string} tool
 * @param {string[]} args
 */
function runTool(bin, tool, args) {
  const command = path.join(bin, tool);
  const result = isRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
  }
}

/**
 * Starts a cluster and returns its URL (database `postgres`, user `roster`, no password).
 * @returns {Promise<{ url: string, stop: () => void }>}
 */
export async function startPostgresCluster() {
  const bin = ensurePostgres();
  const dir = mkdtempSync(path.join(os.tmpdir(), "roster-pg-"));
  if (isRoot) {
    const pw = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  const data = path.join(dir, "data");
  runTool(bin, "initdb", [
    "-D",
    data,
    "-U",
    "roster",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
    "--locale=C",
  ]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  runTool(bin, "pg_ctl", [
    "-D",
    data,
    "-o",
    options,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      runTool(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // Already gone: nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://roster@127.0.0.1:${port}/postgres`, stop };
}
