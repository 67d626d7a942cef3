/**
 * `npm run hash-password`: prints a password hash for ROSTER_ADMINS.
 *
 *   npm run hash-password                          asks twice, without echo
 *   printf '%s' "$PASSWORD" | npm run --silent hash-password   reads stdin
 *
 * A password given as an argument works too, with a warning: it would be left
 * in the shell's history.
 */
import { stdin, stderr, stdout, argv, exit } from "node:process";

import { hashPassword } from "../lib/auth/password";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
  // One trailing line break comes from `echo`; it is not part of the password.
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  // Two lines piped in (as if answering both prompts) would be hashed as one password holding a
  // line break, which no sign-in form can send: a hash nobody could sign in with.
  if (/[\r\n]/.test(password)) {
    throw new Error(
      "The password read from stdin holds a line break. Pipe the password alone, once: printf '%s' \"$PASSWORD\" | npm run --silent hash-password",
    );
  }
  return password;
}

/** Reads one line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let answer = "";
    const onData = (chars: string) => {
      for (const char of chars) {
        if (char === "\u0003") {
          stdin.setRawMode(false);
          stderr.write("\n");
          reject(new Error("Cancelled"));
          return;
        }
        if (char === "\r" || char === "\n" || char === "\u0004") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          stderr.write("\n");
          resolve(answer);
          return;
        }
        answer = char === "\u007f" || char === "\b" ? answer.slice(0, -1) : answer + char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(): Promise<string> {
  const fromArgs = argv.slice(2).join(" ");
  if (fromArgs !== "") {
    stderr.write(
      "Warning: a password on the command line stays in your shell history. Pipe it in or omit it to be asked.\n",
    );
    return fromArgs;
  }
  if (!stdin.isTTY) return readStdin();
  const password = await prompt("Password: ");
  const again = await prompt("Repeat it: ");
  if (password !== again) throw new Error("The two passwords differ");
  return password;
}

try {
  const password = await readPassword();
  if (password.length < 12)
    stderr.write("Warning: passwords under 12 characters are easy to guess.\n");
  stdout.write(`${await hashPassword(password)}\n`);
  stderr.write("Add it to ROSTER_ADMINS as email=hash (comma-separated for several admins).\n");
} catch (error) {
  stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  exit(1);
}
