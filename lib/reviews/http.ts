import "server-only";

import { ApiError, unauthenticated } from "@/lib/api/errors";
import { getAdminSession, type AdminSession } from "@/lib/auth/session";

import { assertSameOrigin, readJsonBody } from "./request";
import { describeIssue } from "./schema";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

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
  const parsed = schema.safeParse(await readJsonBody(request));
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
