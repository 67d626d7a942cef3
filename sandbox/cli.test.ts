import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { DEFAULTS } from "./data";
import { FLAGS, helpText, parseCli } from "./cli-options";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

/**
 * The CLI in one process of its own, as the bench runs it. Not the `tsx`
 * binary: that relays a signal to a child process and, when the child does not
 * confirm it within 30 ms (a busy machine), kills it and exits 143.
 */
const spawnCli = (args: string[]) =>
  spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });

describe("parseCli", () => {
  it("maps flags to options and faults, defaulting the port to 4010", () => {
    const parsed = parseCli(
      [
        "--seed",
        "7",
        "--telnyx-keys",
        "KEY_a, KEY_b",
        "--rate-429",
        "0.25",
        "--retry-after",
        "none",
        "--fault-vendor",
        "openai",
      ],
      {},
    );
    expect(parsed).toEqual({
      help: false,
      options: {
        port: 4010,
        seed: 7,
        telnyxKeys: ["KEY_a", "KEY_b"],
        faults: { rate429: 0.25, retryAfterSeconds: null, vendor: "openai" },
      },
    });
  });

  it("reads the environment, and lets flags win", () => {
    const env = {
      SANDBOX_PORT: "4150",
      SANDBOX_LATENCY_MS: "30",
      SANDBOX_OPENAI_UNKNOWN_AFTER: "empty",
      SANDBOX_QUOTA: "9",
    };
    const parsed = parseCli(["--latency", "5"], env);
    expect(parsed).toEqual({
      help: false,
      options: { port: 4150, openaiUnknownAfter: "empty", faults: { latencyMs: 5, quota: 9 } },
    });
  });

  it.each([
    [["--rate-5xx", "1.5"], /--rate-5xx must be a number from 0 to 1/],
    [["--port", "70000"], /--port must be an integer from 0 to 65535/],
    [["--telnyx-users", "-1"], /--telnyx-users/],
    [["--openai-keys", "a,,b"], /--openai-keys/],
    [["--openai-unknown-after", "maybe"], /one of 404, empty/],
    [["--latency", "fast"], /--latency/],
    [["--nope"], /Unknown option '--nope'/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCli(argv, {})).toThrow(message);
  });

  it("names the environment variable when that is what is wrong", () => {
    expect(() => parseCli([], { SANDBOX_HANG_RATE: "lots" })).toThrow(/SANDBOX_HANG_RATE must be/);
  });

  it("documents every flag and its variable in --help", () => {
    expect(parseCli(["--help"], {})).toEqual({ help: true });
    // The command the README gives, flags after npm's `--`.
    expect(helpText()).toMatch(/^Usage: npm run sandbox -- \[flags\]/);
    for (const flag of FLAGS) {
      expect(helpText()).toContain(`--${flag.name}`);
      expect(helpText()).toContain(flag.env);
    }
  });
});

describe("cli", () => {
  it("prints its URL, serves, and exits 0 on SIGTERM", { timeout: 30_000 }, async () => {
    const child = spawnCli(["--port", "0", "--telnyx-users", "4", "--openai-users", "3"]);
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      expect(out.trim().split("\n")).toHaveLength(1);
      const res = await fetch(`${url}/v2/organizations/users`, {
        headers: { authorization: `Bearer ${DEFAULTS.telnyxKey}` },
      });
      expect(((await res.json()) as { meta: { total_results: number } }).meta.total_results).toBe(
        4,
      );
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("exits 1 with a message on a bad flag", { timeout: 30_000 }, async () => {
    const child = spawnCli(["--hang-rate", "2"]);
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(err).toContain("--hang-rate must be a number from 0 to 1");
  });
});
