import "server-only";

import { recordActivity, type ActivityInput, type AppendedEntry } from "./log";
import type { ActivityKind } from "./contract";

/** Appends one entry: the database's log, or a test's stand-in (`setActivityWriter`). */
export type ActivityWriter = <K extends ActivityKind>(
  input: ActivityInput<K>,
) => Promise<AppendedEntry | null>;

const defaultWriter: ActivityWriter = (input) => recordActivity(undefined, input);
let writer: ActivityWriter = defaultWriter;

/** Replaces where entries go (unit tests without a database); `null` restores the log. */
export function setActivityWriter(next: ActivityWriter | null): void {
  writer = next ?? defaultWriter;
}

/**
 * Appends an entry for something that has already happened (a sign-in, a
 * sync that ended): a failure to write it goes to the server log and is not
 * thrown, since undoing the action is not possible. The log line names the
 * kind and the error's class only.
 */
export async function noteActivity<K extends ActivityKind>(input: ActivityInput<K>): Promise<void> {
  try {
    await writer(input);
  } catch (error) {
    console.error(
      `[roster] activity ${input.kind} not recorded (${error instanceof Error ? error.name : "error"})`,
    );
  }
}
