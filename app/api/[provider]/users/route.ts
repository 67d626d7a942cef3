import { unauthenticated, errorResponse } from "@/lib/api/errors";
import { listUsers, usersQueryFrom } from "@/lib/api/list-users";
import { getAdminSession } from "@/lib/auth/session";
import { getProvider, getSourceAdapter } from "@/lib/providers";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ provider: string }>;
}

/**
 * `GET /api/{provider}/users`: one page of the provider's users (contract in
 * lib/users/schema.ts, documented in the README). The session is checked
 * first, so an anonymous caller learns nothing, not even which providers exist.
 */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    if (!(await getAdminSession(request))) throw unauthenticated();
    const { provider } = await context.params;
    getProvider(provider);
    const query = usersQueryFrom(new URL(request.url).searchParams);
    const adapter = getSourceAdapter(provider, query.source);
    const page = await listUsers(adapter, query, request.signal);
    return Response.json(page, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /api/[provider]/users", request);
  }
}
