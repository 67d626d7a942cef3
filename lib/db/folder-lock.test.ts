import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { runScript } from "@/testing/run-script";

import { closeDb, openDb, useDbForTests } from "./client";
import { LOCK_FILE, removeStale } from "./folder-lock";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A pid no process has: one that has just exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ["-e", ""]);
  return pid!;
}

/** The pid in the lock of `folder`. */
function holderPid(folder: string): number {
  return Number(readFileSync(path.join(folder, LOCK_FILE), "utf8").split("\n")[0]);
}

let parent: string;
let n = 0;
/** A fresh ROSTER_DATA_DIR; the embedded database lives in its `pglite` folder. */
function dataDir(): string {
  const dir = path.join(parent, `data-${++n}`);
  mkdirSync(dir);
  return dir;
}

beforeAll(() => {
  parent = mkdtempSync(path.join(tmpdir(), "roster-lock-"));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));
afterEach(() => closeDb());

// Each spawns processes that start PGlite, slow on a busy machine.
describe("the embedded database's folder lock", { timeout: 90_000 }, () => {
  it("refuses a second process while one holds the folder, naming ROSTER_DATA_DIR, the folder and the pid", async () => {
    const dir = dataDir();
    const folder = path.join(dir, "pglite");
    const handle = await openDb({ dataDir: folder });
    try {
      const { status, stdout, stderr } = await runScript("scripts/db-migrate.ts", {
        ROSTER_DATA_DIR: dir,
      });
      expect(status).toBe(1);
      expect(stdout).not.toContain("Migrations applied");
      expect(stderr).toContain(
        `ROSTER_DATA_DIR: the embedded database in ${folder} is in use by another Roster process (pid ${process.pid};`,
      );
      expect(stderr).toContain("Stop that process first, or give this one another ROSTER_DATA_DIR");
      // The refused process leaves the holder's lock alone.
      expect(holderPid(folder)).toBe(process.pid);
    } finally {
      await handle.close();
    }
    const { status, stdout } = await runScript("scripts/db-migrate.ts", { ROSTER_DATA_DIR: dir });
    expect(status).toBe(0);
    expect(stdout).toContain(`Migrations applied (pglite: ${folder})`);
  });

  it("refuses a second open of the folder in the same process", async () => {
    const folder = path.join(dataDir(), "pglite");
    const handle = await openDb({ dataDir: folder });
    try {
      await expect(openDb({ dataDir: folder })).rejects.toThrow(
        `the embedded database in ${folder} is already open in this process`,
      );
    } finally {
      await handle.close();
    }
  });

  it("takes over a stale lock, left by a process that died", async () => {
    const folder = path.join(dataDir(), "pglite");
    mkdirSync(folder);
    writeFileSync(path.join(folder, LOCK_FILE), `${deadPid()}\n`);
    const handle = await openDb({ dataDir: folder });
    try {
      expect(holderPid(folder)).toBe(process.pid);
    } finally {
      await handle.close();
    }
  });

  it.skipIf(!existsSync("/proc/self/stat"))(
    "refuses a lock whose pid still belongs to the process that took it",
    async () => {
      const folder = path.join(dataDir(), "pglite");
      mkdirSync(folder);
      // As the test runner's parent would have written it: its boot, and field 22 of its stat.
      const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
      const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
      const started = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      writeFileSync(path.join(folder, LOCK_FILE), `${process.ppid}\n${boot}:${started}\n`);
      await expect(openDb({ dataDir: folder })).rejects.toThrow(
        `in use by another Roster process (pid ${process.ppid};`,
      );
    },
  );

  it.skipIf(!existsSync("/proc/self/stat"))(
    "takes over a lock whose pid now belongs to another process than the one that took it",
    async () => {
      const folder = path.join(dataDir(), "pglite");
      mkdirSync(folder);
      // The pid runs (the test runner's parent), but it started at another time than the holder did.
      writeFileSync(path.join(folder, LOCK_FILE), `${process.ppid}\nanother-boot:12345\n`);
      const handle = await openDb({ dataDir: folder });
      try {
        expect(holderPid(folder)).toBe(process.pid);
      } finally {
        await handle.close();
      }
    },
  );

  it("takes over a lock naming this process's pid that it does not hold (pid 1 in a container, restarted)", async () => {
    const folder = path.join(dataDir(), "pglite");
    mkdirSync(folder);
    writeFileSync(path.join(folder, LOCK_FILE), `${process.pid}\n`);
    const handle = await openDb({ dataDir: folder });
    await handle.close();
  });

  it("lets only one of several processes take over the same stale lock at once", async () => {
    const folder = path.join(dataDir(), "pglite");
    mkdirSync(folder);
    const script = path.join(parent, "take.mts");
    // Each waits for the same instant and takes the lock, so all try together; then each stays
    // (the winner holding the lock) until all three have tried. Without that wait, one started
    // late on a busy machine found the winner gone and rightly took the free folder.
    writeFileSync(
      script,
      [
        `import { readdirSync, writeFileSync } from "node:fs";`,
        `import { lockFolder } from ${JSON.stringify(path.join(root, "lib/db/folder-lock.ts"))};`,
        `while (Date.now() < Number(process.env.GO_AT)) {}`,
        `let result = "won";`,
        `try { lockFolder(process.env.FOLDER!); } catch { result = "refused"; }`,
        `writeFileSync(process.env.TRIED + "/" + process.pid, result);`,
        `const until = Date.now() + 60_000;`,
        `while (readdirSync(process.env.TRIED!).length < 3 && Date.now() < until) {`,
        `  await new Promise((resolve) => setTimeout(resolve, 20));`,
        `}`,
        `console.log(result);`,
      ].join("\n"),
    );
    for (let round = 0; round < 2; round++) {
      writeFileSync(path.join(folder, LOCK_FILE), `${deadPid()}\n`);
      const tried = path.join(parent, `tried-${++n}`);
      mkdirSync(tried);
      const env = { FOLDER: folder, TRIED: tried, GO_AT: String(Date.now() + 2000) };
      const runs = await Promise.all([
        runScript(script, env),
        runScript(script, env),
        runScript(script, env),
      ]);
      expect(runs.map((run) => run.stderr)).toEqual(["", "", ""]);
      expect(runs.map((run) => run.stdout.trim()).sort()).toEqual(["refused", "refused", "won"]);
      // Each left at its exit: the winner removed its lock, no one left a file of its own behind.
      expect(readdirSync(folder)).toEqual([]);
    }
  });

  it("leaves a lock alone that another process took over since it was found stale", () => {
    // Two processes found the same stale lock; the first has replaced it with its own already.
    const folder = path.join(dataDir(), "pglite");
    mkdirSync(folder);
    const lock = path.join(folder, LOCK_FILE);
    writeFileSync(lock, `${deadPid()}\n`);
    const stale = statSync(lock).ino;
    renameSync(lock, path.join(parent, `stale-${n}`)); // kept, so its inode is not reused
    writeFileSync(lock, `${process.pid}\n`);
    expect(removeStale(lock, stale)).toBe("gone");
    expect(holderPid(folder)).toBe(process.pid);
    expect(readdirSync(folder)).toEqual([LOCK_FILE]);
  });

  it.skipIf(!existsSync("/proc/self/stat"))(
    "leaves a stale lock to the live process that is removing it, then takes over",
    () => {
      const folder = path.join(dataDir(), "pglite");
      mkdirSync(folder);
      const lock = path.join(folder, LOCK_FILE);
      writeFileSync(lock, `${deadPid()}\n`);
      const stale = statSync(lock).ino;
      // The breaker held by a live process (the test runner's parent, with its start time).
      const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
      const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
      const started = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      writeFileSync(`${lock}.break`, `${process.ppid}\n${boot}:${started}\n`);
      expect(removeStale(lock, stale)).toBe("busy");
      expect(statSync(lock).ino).toBe(stale);
      expect(readdirSync(folder).sort()).toEqual([LOCK_FILE, `${LOCK_FILE}.break`]);
      // Once that process is done with the breaker, the stale lock goes.
      rmSync(`${lock}.break`);
      expect(removeStale(lock, stale)).toBe("removed");
      expect(readdirSync(folder)).toEqual([]);
    },
  );

  it("clears a breaker left by a process that died removing a stale lock, and takes over", async () => {
    const folder = path.join(dataDir(), "pglite");
    mkdirSync(folder);
    writeFileSync(path.join(folder, LOCK_FILE), `${deadPid()}\n`);
    writeFileSync(path.join(folder, `${LOCK_FILE}.break`), `${deadPid()}\n`);
    const handle = await openDb({ dataDir: folder });
    try {
      expect(holderPid(folder)).toBe(process.pid);
      expect(readdirSync(folder).filter((f) => f.startsWith(LOCK_FILE))).toEqual([LOCK_FILE]);
    } finally {
      await handle.close();
    }
  });

  it("is gone after closeDb", async () => {
    const folder = path.join(dataDir(), "pglite");
    useDbForTests(await openDb({ dataDir: folder }));
    expect(existsSync(path.join(folder, LOCK_FILE))).toBe(true);
    await closeDb();
    expect(existsSync(path.join(folder, LOCK_FILE))).toBe(false);
  });

  it("is gone when the process exits without closing the database", async () => {
    const dir = dataDir();
    const script = path.join(parent, "exit.mts");
    writeFileSync(
      script,
      [
        `import { getDbHandle } from ${JSON.stringify(path.join(root, "lib/db/client.ts"))};`,
        `await getDbHandle();`,
        `process.exit(0);`,
      ].join("\n"),
    );
    const { status, stderr } = await runScript(script, { ROSTER_DATA_DIR: dir });
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(existsSync(path.join(dir, "pglite", "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(dir, "pglite", LOCK_FILE))).toBe(false);
  });

  it("takes no lock for a database in memory", async () => {
    const a = await openDb({ dataDir: "memory://" });
    const b = await openDb({ dataDir: "memory://" });
    await a.close();
    await b.close();
  });
});
