/**
 * The sandbox: Telnyx (`/v2`) and OpenAI (`/v1`) user endpoints plus the
 * `/_sandbox` control endpoint, on 127.0.0.1. See the README, "The sandbox alone".
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { handleControl } from "./control";
import { DEFAULTS, generateData, type SandboxData } from "./data";
import {
  DEFAULT_FAULTS,
  FaultEngine,
  type Counters,
  type FaultConfig,
  type FaultDecision,
  type Vendor,
} from "./faults";
import { bearerToken, json, send, serialize, type Reply, type VendorRequest } from "./http";
import { Mutator, type Mutation, type MutationResult } from "./mutate";
import { OPENAI_FAULT_REPLIES, OpenAIApi, type UnknownAfter } from "./openai/api";
import { TelnyxApi, telnyxError } from "./telnyx/api";

export type { Counters, FaultConfig } from "./faults";
export type { Mutation, MutationResult } from "./mutate";
export type { UnknownAfter } from "./openai/api";

export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  seed: number;
  telnyxUsers: number;
  openaiUsers: number;
  telnyxKeys: string[];
  openaiKeys: string[];
  adminToken: string;
  /** What an `after` that names no user gets: a 404 or an empty page. */
  openaiUnknownAfter: UnknownAfter;
  /** Faults active from the start (on top of DEFAULT_FAULTS). */
  faults: Partial<FaultConfig>;
  /** Every N-th list request of a vendor first removes one user, the next such one adds one; null: never. */
  mutateEvery: number | null;
}

export interface Sandbox {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  data: SandboxData;
  /** Stops listening and drops every connection, hung ones included. */
  close(): Promise<void>;
  /** Merges a partial fault config; throws on invalid values. */
  setFaults(faults: Partial<FaultConfig>): void;
  /** Clears every fault, zeroes the counters, and undoes every mutation (the generated users again). */
  reset(): void;
  counters(): Counters;
  /**
   * Adds, removes or changes users of one vendor (see `Mutation` in
   * sandbox/mutate.ts); `data` and every endpoint follow at once. Throws on an
   * invalid mutation, and then changes nothing.
   */
  mutate(mutation: Mutation): MutationResult;
}

function validateOptions(o: SandboxOptions): void {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65_535)
    throw new RangeError(`port must be 0..65535, got ${o.port}`);
  for (const key of ["telnyxKeys", "openaiKeys"] as const) {
    if (o[key].length === 0 || o[key].some((k) => k.trim() === "" || k !== k.trim())) {
      throw new RangeError(
        `${key} must hold at least one non-empty key without surrounding spaces`,
      );
    }
  }
  if (o.adminToken.trim() === "") throw new RangeError("adminToken must not be empty");
  if (o.mutateEvery !== null && (!Number.isInteger(o.mutateEvery) || o.mutateEvery < 1)) {
    throw new RangeError(`mutateEvery must be a positive integer or null, got ${o.mutateEvery}`);
  }
  if (o.openaiUnknownAfter !== "404" && o.openaiUnknownAfter !== "empty") {
    throw new RangeError(
      `openaiUnknownAfter must be "404" or "empty", got ${String(o.openaiUnknownAfter)}`,
    );
  }
}

function faultReply(
  vendor: Vendor,
  decision: Exclude<FaultDecision, { kind: "none" | "hang" }>,
  engine: FaultEngine,
): Reply {
  const status =
    decision.kind === "rate5xx" ? decision.status : decision.kind === "outage" ? 503 : 429;
  const reply = vendor === "telnyx" ? telnyxError(status) : OPENAI_FAULT_REPLIES[status]();
  if (status === 429) reply.headers = { ...reply.headers, ...engine.retryHeaders() };
  return reply;
}

function isListRequest(req: VendorRequest): boolean {
  return (
    req.method === "GET" &&
    (req.pathname === "/v2/organizations/users" || req.pathname === "/v1/organization/users")
  );
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function startSandbox(opts: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const options: SandboxOptions = {
    port: 0,
    seed: DEFAULTS.seed,
    telnyxUsers: DEFAULTS.telnyxUsers,
    openaiUsers: DEFAULTS.openaiUsers,
    telnyxKeys: [DEFAULTS.telnyxKey],
    openaiKeys: [DEFAULTS.openaiKey],
    adminToken: DEFAULTS.adminToken,
    openaiUnknownAfter: "404",
    mutateEvery: null,
    ...withoutUndefined(opts),
    faults: { ...opts.faults },
  };
  validateOptions(options);
  const engine = new FaultEngine(DEFAULT_FAULTS, options.seed);
  const initial = engine.set(options.faults);
  if (!initial.ok) throw new RangeError(`Invalid faults: ${initial.message}`);
  const data = generateData(options);
  const telnyx = new TelnyxApi(data.telnyx, options.telnyxKeys);
  const openai = new OpenAIApi(data.openai, options.openaiKeys, options.openaiUnknownAfter);
  const mutator = new Mutator(data, options.seed);
  /** Puts the generated users back, in the same arrays (`sandbox.data` stays valid), after any mutation. */
  const restoreData = () => {
    if (!mutator.dirty) return mutator.reset();
    const fresh = generateData(options);
    for (const vendor of ["telnyx", "openai"] as const) {
      const users: unknown[] = data[vendor];
      users.length = 0;
      for (const user of fresh[vendor]) users.push(user);
    }
    telnyx.reindex();
    openai.reindex();
    mutator.reset();
  };
  const resetAll = () => {
    engine.reset();
    restoreData();
  };
  const reindex = (result: MutationResult | null) => {
    if (result) (result.vendor === "telnyx" ? telnyx : openai).reindex();
    return result;
  };
  const mutate = (mutation: unknown) => {
    const outcome = mutator.apply(mutation);
    if (outcome.ok) reindex(outcome.result);
    return outcome;
  };

  let closing = false;
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handleVendor(
    vendor: Vendor,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const arrivedAt = performance.now();
    const token = bearerToken(req);
    const decision = engine.decide(vendor, token.token);
    if (decision.kind === "hang") {
      // A hung request is left open on purpose; close() destroys its socket.
      if (decision.delayMs > 0) await delay(decision.delayMs);
      return;
    }

    const vendorReq: VendorRequest = {
      method: req.method ?? "GET",
      pathname: url.pathname,
      query: url.searchParams,
      accept: req.headers.accept ?? "",
      token,
    };
    const api = vendor === "telnyx" ? telnyx : openai;
    if (decision.kind === "none" && isListRequest(vendorReq)) {
      reindex(mutator.tick(vendor, options.mutateEvery));
    }
    const reply =
      decision.kind === "none" ? api.handle(vendorReq) : faultReply(vendor, decision, engine);
    const vendorHeaders =
      vendor === "telnyx"
        ? telnyx.rateLimitHeaders(token.token, engine.quotaState(token.token))
        : { "x-request-id": `req_${randomBytes(16).toString("hex")}` };
    reply.headers = { ...vendorHeaders, ...reply.headers };

    let text = serialize(reply);
    if (
      decision.kind === "none" &&
      decision.malformed &&
      reply.status === 200 &&
      typeof reply.body !== "string"
    ) {
      engine.countMalformed();
      // A proper prefix of a JSON object is never valid JSON.
      text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }
    // The latency is the time from request to answer, the vendor's own work included. A vendor
    // answers concurrent calls on many servers at once; the sandbox has one thread, so it does
    // the work on arrival and waits only what is left: four pages asked at once all answer
    // after the latency, not one after another.
    const left = decision.delayMs - (performance.now() - arrivedAt);
    if (left > 0) await delay(left);
    if (closing) return;
    send(res, reply, text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://127.0.0.1");
    } catch {
      send(
        res,
        json(400, {
          error: { code: "bad_request", message: "The request target is not a valid URL." },
        }),
      );
      return;
    }
    if (url.pathname.startsWith("/_sandbox/")) {
      const users = { telnyx: data.telnyx.length, openai: data.openai.length };
      send(
        res,
        await handleControl(req, url.pathname, {
          adminToken: options.adminToken,
          engine,
          users,
          mutate,
          reset: resetAll,
        }),
      );
      return;
    }
    const vendor: Vendor | null = url.pathname.startsWith("/v2/")
      ? "telnyx"
      : url.pathname.startsWith("/v1/")
        ? "openai"
        : null;
    if (!vendor) {
      send(
        res,
        json(404, {
          error: {
            code: "not_found",
            message: "The sandbox serves /v2 (Telnyx), /v1 (OpenAI) and /_sandbox.",
          },
        }),
      );
      return;
    }
    await handleVendor(vendor, req, res, url);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("sandbox: unexpected error", error);
      send(
        res,
        json(500, {
          error: { code: "internal_error", message: "The sandbox failed; see its log." },
        }),
      );
    });
  });

  // Node closes idle keep-alive sockets after 5 s; a client that reuses one just then gets
  // ECONNRESET (seen in e2e: a fixture's reset after a 7-second test). Idle sockets stay a minute,
  // longer than any test leaves one.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    data,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
    setFaults(faults) {
      const result = engine.set(faults);
      if (!result.ok) throw new RangeError(`Invalid faults: ${result.message}`);
    },
    reset: resetAll,
    counters: () => engine.counters(),
    mutate(mutation) {
      const outcome = mutate(mutation);
      if (!outcome.ok) throw new RangeError(`Invalid mutation: ${outcome.message}`);
      return outcome.result;
    },
  };
}
