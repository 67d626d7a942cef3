import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { parseAdmins } from "@/lib/auth/admins.mjs";
import { verifyPassword } from "@/lib/auth/password";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function run(args: string[], input: string) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/hash-password.ts", ...args],
    {
      cwd: root,
      input,
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run hash-password", () => {
  it("hashes a password piped on stdin (without echo's trailing newline) into a ROSTER_ADMINS-ready hash", async () => {
    const { status, stdout, stderr } = run([], "piped pass phrase 42\n");
    expect(status).toBe(0);
    const hash = stdout.trim();
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(await verifyPassword("piped pass phrase 42", hash)).toBe(true);
    expect(await verifyPassword("piped pass phrase 42\n", hash)).toBe(false);
    expect(parseAdmins(`a@example.com=${hash}`)).toHaveLength(1);
    expect(stderr).not.toContain("piped pass phrase 42");
  });

  it("accepts a password argument but warns about shell history", async () => {
    const { status, stdout, stderr } = run(["argv-password-123"], "");
    expect(status).toBe(0);
    expect(stderr).toMatch(/shell history/);
    expect(await verifyPassword("argv-password-123", stdout.trim())).toBe(true);
  });

  it("refuses two lines piped in, which would hash a password no sign-in form can send", () => {
    for (const input of ["pass phrase 42\npass phrase 42\n", "pass phrase 42\r\nagain\n"]) {
      const { status, stdout, stderr } = run([], input);
      expect(status, JSON.stringify(input)).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/holds a line break/);
      expect(stderr).not.toContain("pass phrase 42");
    }
  });

  it("fails on an empty password", () => {
    const { status, stdout, stderr } = run([], "");
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/empty/);
  });
});
