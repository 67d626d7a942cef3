import "server-only";

import { ApiError, unauthenticated } from "@/lib/api/errors";
import { assertSameOrigin, readJsonBody } from "@/lib/api/request-guards";
import { getAdminSession, type AdminSession } from "@/lib/auth/session";

import { describeIssue } from "./schema";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** Review bodies are small: 1,000 decisions with long comments fit well under this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The session (401 first), for reading routes. */
export async function requireAdmin(request: Request): Promise<AdminSession> {
  const session = await getAdminSession(request);
  if (!session) throw unauthenticated();
  return session;
}

/** Session (401), then same-origin (403), then the bounded JSON body (413/400) parsed with `schema`. */
export async function parseMutation<T>(
  request: Request,
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Parameters<typeof describeIssue>[0] } };
  },
): Promise<{ session: AdminSession; body: T }> {
  const session = await requireAdmin(request);
  assertSameOrigin(request);
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("invalid_body", "Send the body as JSON (Content-Type: application/json).");
  }
  const parsed = schema.safeParse(await readJsonBody(request, MAX_BODY_BYTES));
  if (!parsed.success) throw new ApiError("invalid_body", describeIssue(parsed.error.issues));
  return { session, body: parsed.data };
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
