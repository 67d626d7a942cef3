import "server-only";

import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import path from "node:path";

/**
 * One process at a time in a PGlite folder. PGlite takes no lock of its own,
 * and two processes writing the same files (a second server, `npm run
 * db:migrate` beside a running one) corrupt the database.
 *
 * The lock is a file in the folder holding the holder's pid (and, on Linux,
 * when it started, so that a later process given the same pid is not taken
 * for it). It is made whole under a name of its own and then linked into
 * place, which fails when the lock exists: a reader never sees it half
 * written. A lock whose pid is
 * no longer alive (a crash, kill -9) is stale and taken over; a lock naming
 * this process's own pid that this process does not hold is left over from
 * an earlier process that had the same pid (pid 1 in a container) and is
 * stale too. The lock is removed when the database closes and at the exit.
 */
export const LOCK_FILE = "roster.lock";

/** The folder is held by another live process. */
export class FolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number | null,
  ) {
    super(
      pid === process.pid
        ? `ROSTER_DATA_DIR: the embedded database in ${folder} is already open in this process.`
        : `ROSTER_DATA_DIR: the embedded database in ${folder} is in use by another Roster process ` +
            `(pid ${pid ?? "unknown"}; lock ${path.join(folder, LOCK_FILE)}), and two processes ` +
            `writing one folder would corrupt it. Stop that process first, or give this one another ` +
            `ROSTER_DATA_DIR (or DATABASE_URL).`,
    );
    this.name = "FolderInUseError";
  }
}

interface Held {
  /** The lock file's inode, so that a release never removes a lock another process took since. */
  ino: number;
}

// On globalThis: Next.js bundles a copy of this module per route, and each must see the same locks.
const heldKey = Symbol.for("roster.db.folder-locks");
type GlobalWithLocks = typeof globalThis & { [heldKey]?: Map<string, Held> };

function held(): Map<string, Held> {
  const g = globalThis as GlobalWithLocks;
  if (!g[heldKey]) {
    const map = new Map<string, Held>();
    g[heldKey] = map;
    // A normal exit (process.exit included) leaves no lock behind; a crash leaves a stale one.
    process.on("exit", () => {
      for (const lock of map.keys()) removeIfOurs(lock, map.get(lock));
    });
  }
  return g[heldKey];
}

/**
 * Takes the lock of `folder` (which must exist) for this process, or throws
 * FolderInUseError naming the live holder. Returns the release.
 */
export function lockFolder(folder: string): () => void {
  const resolved = path.resolve(folder);
  const lock = path.join(resolved, LOCK_FILE);
  const locks = held();
  if (locks.has(lock)) throw new FolderInUseError(resolved, process.pid);

  const mine = path.join(resolved, `${LOCK_FILE}.${process.pid}.tmp`);
  writeWhole(mine, `${process.pid}\n${processIdentity(process.pid) ?? ""}\n`);
  try {
    // Bounded: each turn takes the lock, finds a live holder, removes a stale lock, or waits a
    // moment while another process removes it.
    const deadline = Date.now() + TAKE_OVER_WAIT_MS;
    for (let attempt = 0; attempt < 10 || Date.now() < deadline; attempt++) {
      try {
        linkSync(mine, lock);
        const entry = { ino: statSync(lock).ino };
        locks.set(lock, entry);
        return () => {
          if (locks.get(lock) !== entry) return;
          locks.delete(lock);
          removeIfOurs(lock, entry);
        };
      } catch (error) {
        if (code(error) !== "EEXIST") throw error;
      }
      const holder = readHolder(lock);
      if (!holder) continue; // removed meanwhile: try again
      if (holder.pid !== null && holder.pid !== process.pid && isAlive(holder)) {
        throw new FolderInUseError(resolved, holder.pid);
      }
      if (removeStale(lock, holder.ino) === "busy") sleep(2);
    }
    throw new FolderInUseError(resolved, readHolder(lock)?.pid ?? null);
  } finally {
    rmSync(mine, { force: true });
  }
}

function writeWhole(file: string, text: string): void {
  const fd = openSync(file, "w", 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

interface Holder {
  pid: number | null;
  /** processIdentity of the holder when it took the lock, or "" where there is none. */
  identity: string;
  ino: number;
}

/** The lock's holder and inode, or null when there is no lock (any more). */
function readHolder(lock: string): Holder | null {
  try {
    const { ino } = statSync(lock);
    const [first = "", identity = ""] = readFileSync(lock, "utf8").split("\n");
    const pid = /^\d+$/.test(first) ? Number(first) : null;
    return { pid, identity: identity.trim(), ino };
  } catch (error) {
    if (code(error) === "ENOENT") return null;
    throw error;
  }
}

/**
 * Whether the holder still runs: a process with its pid exists (EPERM means it
 * does, as another user's) and, where Linux tells, is the same process, not
 * one that got the pid after it (another boot, pids wrapped round).
 */
function isAlive({ pid, identity }: Holder): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (code(error) !== "EPERM") return false;
  }
  const now = identity ? processIdentity(pid) : null;
  return now === null || now === identity;
}

/**
 * The boot and the start time of process `pid` on Linux (/proc), which tell a
 * process from a later one with the same pid; null elsewhere.
 */
function processIdentity(pid: number): string | null {
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22, the start time in clock ticks after boot; the name (field 2) may hold spaces.
    const started = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return boot && started ? `${boot}:${started}` : null;
  } catch {
    return null;
  }
}

/**
 * How long a process waits for others that are removing the same stale lock.
 * They hold the breaker for a few system calls; this only matters on a
 * machine so busy that one of them is descheduled in between.
 */
const TAKE_OVER_WAIT_MS = 2_000;

/**
 * Removes the stale lock with inode `ino`, unless another process is removing
 * it ("busy": go round again after a moment). Several processes may find the
 * same stale lock at once, and a lock can only be taken (linked into place),
 * never replaced, so removal is where they race: one that removed the stale
 * lock may already have taken the folder when a second, still acting on what
 * it read before, removes that new lock, and both would hold the folder. So a
 * remover first takes the breaker (`roster.lock.break`, linked into place
 * like the lock and holding its pid), then removes the lock only if it is
 * still the stale one, then removes the breaker: only breaker holders remove
 * a lock that is not theirs, one at a time. A breaker whose holder died
 * (killed within those few system calls) is stale and removed in turn.
 */
export function removeStale(lock: string, ino: number): "removed" | "gone" | "busy" {
  const breaker = `${lock}.break`;
  const claim = `${breaker}.${process.pid}.tmp`;
  writeWhole(claim, `${process.pid}\n${processIdentity(process.pid) ?? ""}\n`);
  try {
    linkSync(claim, breaker);
  } catch (error) {
    if (code(error) !== "EEXIST") throw error;
    const other = readHolder(breaker);
    // This process never leaves its own breaker behind: one with its pid is an earlier process's.
    if (other && (other.pid === process.pid || !isAlive(other))) removeIfOurs(breaker, other);
    return "busy";
  } finally {
    rmSync(claim, { force: true });
  }
  try {
    const now = readHolder(lock);
    if (now?.ino !== ino) return "gone";
    unlinkSync(lock);
    return "removed";
  } finally {
    unlinkSync(breaker);
  }
}

/** Blocks this thread for `ms` (lockFolder is synchronous, and this is rare and short). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function removeIfOurs(lock: string, entry: Held | undefined): void {
  try {
    if (entry && statSync(lock).ino === entry.ino) unlinkSync(lock);
  } catch {
    // gone already
  }
}

function code(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}
