/**
 * Why a streamed export failed midway. Once rows have gone out the status is
 * sent, so the server writes this line as the last chunk before it cuts the
 * connection; the dashboard saves nothing from a cut download and reads the
 * code from the tail of what it received. Shared by server and browser.
 */
const PREFIX = "\r\n#roster-export-failed:";

export function exportFailureLine(code: string): string {
  return `${PREFIX}${code}\r\n`;
}

/** The code of a failure line at the very end of `tail`, or null. */
export function exportFailureCode(tail: string): string | null {
  const at = tail.lastIndexOf(PREFIX);
  if (at === -1) return null;
  const match = /^([a-z_]{1,64})\r\n$/.exec(tail.slice(at + PREFIX.length));
  return match?.[1] ?? null;
}
