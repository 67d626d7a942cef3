/**
 * Child processes for the benchmark: each runs in its own process group so
 * that stopping it also stops whatever it spawned, and every wait is bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";

export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** The last lines the process wrote, for error messages. */
  outputTail(lines?: number): string;
}

const TAIL_CHARS = 16_000;

export class ProcessRegistry {
  private readonly running = new Set<ManagedProcess>();
  private readonly spawned: ManagedProcess[] = [];
  private readonly stopped = new Set<ManagedProcess>();

  spawn(
    name: string,
    command: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv; echo?: boolean },
  ): ManagedProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: stopping it stops its children too (see stop()).
      detached: true,
    });
    if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
    let tail = "";
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-TAIL_CHARS);
      if (options.echo) process.stderr.write(chunk);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    let done = false;
    const exited = new Promise<number | null>((resolve) => {
      child.once("exit", (code) => {
        done = true;
        resolve(code);
      });
      child.once("error", () => {
        done = true;
        resolve(null);
      });
    });
    const managed: ManagedProcess = {
      name,
      pid: child.pid,
      child,
      exited,
      hasExited: () => done,
      outputTail: (lines = 30) => tail.trimEnd().split("\n").slice(-lines).join("\n"),
    };
    this.running.add(managed);
    this.spawned.push(managed);
    void exited.then(() => this.running.delete(managed));
    return managed;
  }

  /** Processes that ended on their own (not through stop), for the report of a failed run. */
  exitedEarly(): ManagedProcess[] {
    return this.spawned.filter((proc) => proc.hasExited() && !this.stopped.has(proc));
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  async stop(proc: ManagedProcess, graceMs = 5_000): Promise<void> {
    this.stopped.add(proc);
    if (proc.hasExited()) {
      signalGroup(proc.pid, "SIGKILL"); // stray grandchildren, if any
      return;
    }
    signalGroup(proc.pid, "SIGTERM");
    const timedOut = await Promise.race([
      proc.exited.then(() => false),
      delay(graceMs).then(() => true),
    ]);
    signalGroup(proc.pid, "SIGKILL");
    if (timedOut) await Promise.race([proc.exited, delay(2_000)]);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((proc) => this.stop(proc)));
  }

  /** Last resort from an `exit` handler, where nothing asynchronous runs. */
  killAllSync(): void {
    for (const proc of this.running) signalGroup(proc.pid, "SIGKILL");
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `url` until `accept(status)` holds, for at most `timeoutMs`; fails
 * at once when `proc` exits meanwhile.
 */
export async function waitForHttp(
  url: string,
  options: {
    timeoutMs: number;
    proc?: ManagedProcess;
    accept?: (status: number) => boolean;
    headers?: Record<string, string>;
  },
): Promise<void> {
  const accept = options.accept ?? ((status: number) => status >= 200 && status < 300);
  const deadline = Date.now() + options.timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (options.proc?.hasExited()) {
      throw new Error(
        `${options.proc.name} exited before answering ${url}:\n${options.proc.outputTail()}`,
      );
    }
    try {
      const res = await fetch(url, {
        redirect: "manual",
        headers: options.headers,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      if (accept(res.status)) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(200);
  }
  const tail = options.proc ? `\n${options.proc.outputTail()}` : "";
  throw new Error(`${url} did not answer within ${options.timeoutMs} ms (${last})${tail}`);
}

/** Settles as `promise` does, or rejects with `message` once `ms` pass without it settling. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} (timed out after ${ms} ms)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port the system has just handed out as free (listen on port 0), for a server to take next. */
export function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port from listen(0)"))));
    });
  });
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux everywhere in practice). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used so far, ms. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name start at field 3 (state); utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command name: state, ppid, ...
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i] ?? -1));
  return all;
}

/** Inodes of sockets listening on 127.0.0.1:port (IPv4) or any address. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN; inode is column 9.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/**
 * The process in `rootPid`'s tree that holds the socket listening on `port`:
 * the actual HTTP server, whatever wrappers started it. Null if none found.
 */
export function listeningPid(rootPid: number, port: number): number | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  for (const pid of processTree(rootPid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return null;
}
