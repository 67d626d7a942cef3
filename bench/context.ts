/**
 * What every figure module gets from the runner, and what it gives back. A
 * module measures one figure (or one small family), probing first whether the
 * feature it measures exists; the runner only orders the modules.
 */
import type { Mode } from "./modes";
import type { ProcessRegistry } from "./processes";
import type { Figure } from "./report";
import type { AppProcess, BuildInfo, SandboxProcess } from "./servers";

/** The bare Next.js app the list route is compared with (bench/floor). */
export interface FloorApp {
  url: string;
  /** The process that holds the listening socket. */
  serverPid: number;
}

/** A Roster server and the database behind it, for the figures measured on each store. */
export interface Store {
  kind: "PGlite" | "PostgreSQL";
  app: AppProcess;
  cookie: string;
  /** Bytes the database holds on disk now. */
  diskBytes(): number;
}

export interface BenchContext {
  mode: Mode;
  registry: ProcessRegistry;
  sandbox: SandboxProcess;
  app: AppProcess;
  floor: FloorApp;
  build: BuildInfo;
  /** A session cookie for `app`, and the token in it (for the browser). */
  token: string;
  cookie: string;
  /** EXPORT_CONCURRENCY as Roster runs with it (lib/env.mjs default). */
  concurrency: number;
  log(line: string): void;
  warn(text: string): void;
  /**
   * The stores to measure the directory figures on: the app's embedded PGlite,
   * and PostgreSQL when BENCH_DATABASE_URL names one (a second Roster server on
   * it, started on first use). `missing` says why PostgreSQL is not measured.
   */
  stores(): Promise<{ stores: Store[]; missing: string | null }>;
  /** Runs `fn` with every sandbox request taking `mode.latencyMs` (jitter 0), back to 0 ms after. */
  atVendorLatency<T>(fn: () => Promise<T>): Promise<T>;
}

export interface FigureResult {
  figures: Figure[];
  /** Plain-text findings printed under the table (e.g. where the time goes when a target is missed). */
  notes?: string[];
  /** Parts of the module's figures whose feature does not exist yet. */
  notBuilt?: NotBuilt[];
  /** Anything else worth keeping in the results file, under the module's id. */
  details?: unknown;
}

export interface FigureModule {
  /** Key in the results file. */
  id: string;
  /** The table section the module's figures go under, also shown when it is not built. */
  section: string;
  /**
   * Null when the feature exists; otherwise why the figure cannot be
   * measured yet (the route answers 404, the page is missing ...).
   */
  probe?(ctx: BenchContext): Promise<string | null>;
  run(ctx: BenchContext): Promise<FigureResult>;
}

export interface NotBuilt {
  id: string;
  section: string;
  reason: string;
  /** How the table words it: the feature is missing (default), or the run could not measure it here. */
  kind?: "not built" | "not measured";
}
