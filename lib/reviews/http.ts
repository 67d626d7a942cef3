import "server-only";

import { ApiError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/request-guards";
import { NO_STORE } from "@/lib/api/route";

import { describeIssue } from "./schema";

/**
 * The largest review body: room for the most a request may hold, 1,000
 * decisions each with a 2,000-character comment in a script that takes three
 * bytes a character (6 MB), and the JSON around them. 1 MiB refused a
 * "decide selected" with one long comment at about 500 decisions.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The bounded JSON body (413/400; its Content-Type judged by `readJsonBody`,
 * as every JSON route's) parsed with `schema`, after the route wrapper
 * (lib/api/route.ts) checked the session and the origin.
 */
export async function parseBody<T>(
  request: Request,
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Parameters<typeof describeIssue>[0] } };
  },
): Promise<T> {
  const parsed = schema.safeParse(await readJsonBody(request, MAX_BODY_BYTES));
  if (!parsed.success) throw new ApiError("invalid_body", describeIssue(parsed.error.issues));
  return parsed.data;
}

/** A file as a download, byte for byte. */
export function fileResponse(bytes: Uint8Array, filename: string, type: string): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      ...NO_STORE,
      "Content-Type": `${type}; charset=utf-8`,
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}
