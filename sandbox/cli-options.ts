/**
 * The sandbox's command-line flags and their environment equivalents (flags win).
 */
import { parseArgs } from "node:util";

import { DEFAULTS, MAX_USERS } from "./data";
import { DEFAULT_FAULTS, type FaultConfig } from "./faults";
import type { SandboxOptions } from "./server";

type Parsed = { ok: true; value: unknown } | { ok: false; rule: string };

const integer =
  (min: number, max: number): ((raw: string) => Parsed) =>
  (raw) =>
    /^-?\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max
      ? { ok: true, value: Number(raw) }
      : { ok: false, rule: `an integer from ${min} to ${max}` };

const share = (raw: string): Parsed => {
  const value = Number(raw);
  return raw.trim() !== "" && value >= 0 && value <= 1
    ? { ok: true, value }
    : { ok: false, rule: "a number from 0 to 1" };
};

/** "none" (or "null") switches a nullable setting off. */
const nullable =
  (parse: (raw: string) => Parsed): ((raw: string) => Parsed) =>
  (raw) => {
    if (raw === "none" || raw === "null") return { ok: true, value: null };
    const parsed = parse(raw);
    return parsed.ok ? parsed : { ok: false, rule: `${parsed.rule}, or none` };
  };

const keyList = (raw: string): Parsed => {
  const keys = raw.split(",").map((k) => k.trim());
  return keys.every((k) => k !== "")
    ? { ok: true, value: keys }
    : { ok: false, rule: "a comma-separated list of non-empty keys" };
};

const oneOf =
  (...values: string[]): ((raw: string) => Parsed) =>
  (raw) =>
    values.includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, rule: `one of ${values.join(", ")}` };

const nonEmpty = (raw: string): Parsed =>
  raw.trim() !== "" ? { ok: true, value: raw } : { ok: false, rule: "a non-empty string" };

interface Flag {
  name: string;
  env: string;
  /** Where the value goes: a SandboxOptions key, or a FaultConfig key under `faults`. */
  target: { option: Exclude<keyof SandboxOptions, "faults"> } | { fault: keyof FaultConfig };
  parse: (raw: string) => Parsed;
  defaultText: string;
  help: string;
}

const fmt = (value: unknown) => (value === null ? "none" : String(value));

export const FLAGS: Flag[] = [
  {
    name: "port",
    env: "SANDBOX_PORT",
    target: { option: "port" },
    parse: integer(0, 65_535),
    defaultText: "4010",
    help: "Port on 127.0.0.1 (0 = any free port)",
  },
  {
    name: "seed",
    env: "SANDBOX_SEED",
    target: { option: "seed" },
    parse: integer(-(2 ** 31), 2 ** 32 - 1),
    defaultText: String(DEFAULTS.seed),
    help: "Seed of the generated users",
  },
  {
    name: "telnyx-users",
    env: "SANDBOX_TELNYX_USERS",
    target: { option: "telnyxUsers" },
    parse: integer(0, MAX_USERS),
    defaultText: String(DEFAULTS.telnyxUsers),
    help: "Number of Telnyx users",
  },
  {
    name: "openai-users",
    env: "SANDBOX_OPENAI_USERS",
    target: { option: "openaiUsers" },
    parse: integer(0, MAX_USERS),
    defaultText: String(DEFAULTS.openaiUsers),
    help: "Number of OpenAI users",
  },
  {
    name: "telnyx-keys",
    env: "SANDBOX_TELNYX_KEYS",
    target: { option: "telnyxKeys" },
    parse: keyList,
    defaultText: DEFAULTS.telnyxKey,
    help: "Accepted Telnyx API keys (comma-separated)",
  },
  {
    name: "openai-keys",
    env: "SANDBOX_OPENAI_KEYS",
    target: { option: "openaiKeys" },
    parse: keyList,
    defaultText: DEFAULTS.openaiKey,
    help: "Accepted OpenAI admin keys (comma-separated)",
  },
  {
    name: "admin-token",
    env: "SANDBOX_ADMIN_TOKEN",
    target: { option: "adminToken" },
    parse: nonEmpty,
    defaultText: DEFAULTS.adminToken,
    help: "Bearer token of the /_sandbox control endpoint",
  },
  {
    name: "openai-unknown-after",
    env: "SANDBOX_OPENAI_UNKNOWN_AFTER",
    target: { option: "openaiUnknownAfter" },
    parse: oneOf("404", "empty"),
    defaultText: "404",
    help: "Answer to an `after` naming no user: 404 or an empty page",
  },
  {
    name: "mutate-every",
    env: "SANDBOX_MUTATE_EVERY",
    target: { option: "mutateEvery" },
    parse: nullable(integer(1, 1_000_000)),
    defaultText: "none",
    help: "Every N-th list request of a vendor first removes a user, the next adds one",
  },
  {
    name: "latency",
    env: "SANDBOX_LATENCY_MS",
    target: { fault: "latencyMs" },
    parse: integer(0, 600_000),
    defaultText: fmt(DEFAULT_FAULTS.latencyMs),
    help: "Added latency per vendor request, ms",
  },
  {
    name: "jitter",
    env: "SANDBOX_JITTER_MS",
    target: { fault: "jitterMs" },
    parse: integer(0, 600_000),
    defaultText: fmt(DEFAULT_FAULTS.jitterMs),
    help: "Extra random latency, uniform 0..N ms",
  },
  {
    name: "rate-429",
    env: "SANDBOX_RATE_429",
    target: { fault: "rate429" },
    parse: share,
    defaultText: fmt(DEFAULT_FAULTS.rate429),
    help: "Share of vendor requests answered 429",
  },
  {
    name: "rate-5xx",
    env: "SANDBOX_RATE_5XX",
    target: { fault: "rate5xx" },
    parse: share,
    defaultText: fmt(DEFAULT_FAULTS.rate5xx),
    help: "Share answered 500 or 503",
  },
  {
    name: "hang-rate",
    env: "SANDBOX_HANG_RATE",
    target: { fault: "hangRate" },
    parse: share,
    defaultText: fmt(DEFAULT_FAULTS.hangRate),
    help: "Share never answered",
  },
  {
    name: "malformed-rate",
    env: "SANDBOX_MALFORMED_RATE",
    target: { fault: "malformedRate" },
    parse: share,
    defaultText: fmt(DEFAULT_FAULTS.malformedRate),
    help: "Share answered 200 with truncated JSON",
  },
  {
    name: "retry-after",
    env: "SANDBOX_RETRY_AFTER",
    target: { fault: "retryAfterSeconds" },
    parse: nullable(integer(0, 86_400)),
    defaultText: fmt(DEFAULT_FAULTS.retryAfterSeconds),
    help: "Retry-After seconds on 429s, or none",
  },
  {
    name: "retry-after-ms",
    env: "SANDBOX_RETRY_AFTER_MS",
    target: { fault: "retryAfterMs" },
    parse: nullable(integer(0, 86_400_000)),
    defaultText: fmt(DEFAULT_FAULTS.retryAfterMs),
    help: "retry-after-ms on 429s, or none",
  },
  {
    name: "quota",
    env: "SANDBOX_QUOTA",
    target: { fault: "quota" },
    parse: nullable(integer(0, Number.MAX_SAFE_INTEGER)),
    defaultText: fmt(DEFAULT_FAULTS.quota),
    help: "Requests per key before every request gets 429, or none",
  },
  {
    name: "outage-after",
    env: "SANDBOX_OUTAGE_AFTER",
    target: { fault: "outageAfter" },
    parse: nullable(integer(0, Number.MAX_SAFE_INTEGER)),
    defaultText: fmt(DEFAULT_FAULTS.outageAfter),
    help: "After N vendor requests, every one gets 503, or none",
  },
  {
    name: "fault-vendor",
    env: "SANDBOX_FAULT_VENDOR",
    target: { fault: "vendor" },
    parse: oneOf("all", "telnyx", "openai"),
    defaultText: DEFAULT_FAULTS.vendor,
    help: "Which vendor the faults hit",
  },
];

export function helpText(): string {
  const rows = FLAGS.map(
    (f) => `  --${f.name.padEnd(22)} ${f.env.padEnd(30)} ${f.help} (default ${f.defaultText})`,
  );
  return [
    "Usage: npm run sandbox -- [flags]   (or: tsx sandbox/cli.ts [flags])",
    "",
    "Emulates the Telnyx (/v2) and OpenAI (/v1) organization-users APIs on 127.0.0.1.",
    "Each flag has an environment variable; the flag wins.",
    "",
    ...rows,
    `  --${"help".padEnd(22)} ${"".padEnd(30)} Print this help`,
  ].join("\n");
}

/** Builds startSandbox options from argv and env; throws an Error whose message is for the user. */
export function parseCli(
  argv: string[],
  env: Record<string, string | undefined>,
): { help: true } | { help: false; options: Partial<SandboxOptions> } {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(FLAGS.map((f) => [f.name, { type: "string" as const }])),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const options: Partial<SandboxOptions> & { faults: Partial<FaultConfig> } = {
    port: 4010,
    faults: {},
  };
  for (const flag of FLAGS) {
    const fromFlag = (values as Record<string, string | boolean | undefined>)[flag.name];
    const raw = typeof fromFlag === "string" ? fromFlag : env[flag.env];
    if (raw === undefined) continue;
    const parsed = flag.parse(raw.trim());
    if (!parsed.ok) {
      const source = typeof fromFlag === "string" ? `--${flag.name}` : flag.env;
      throw new Error(`${source} must be ${parsed.rule} (got ${JSON.stringify(raw)})`);
    }
    if ("option" in flag.target) Object.assign(options, { [flag.target.option]: parsed.value });
    else Object.assign(options.faults, { [flag.target.fault]: parsed.value });
  }
  return { help: false, options };
}
