import { listUsers } from "@/lib/api/list-users";
import { usersQueryFrom } from "@/lib/api/queries";
import { getProvider, getSourceAdapter } from "@/lib/providers";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `GET /api/{provider}/users`: one page of the provider's users (contract in
 * lib/users/schema.ts, documented in the README). The session is checked
 * first, so an anonymous caller learns nothing, not even which providers exist.
 */
export const GET = adminRoute<{ provider: string }>(
  "GET /api/[provider]/users",
  async ({ request, params }) => {
    const { provider } = params;
    getProvider(provider);
    const query = usersQueryFrom(new URL(request.url).searchParams);
    const adapter = getSourceAdapter(provider, query.source);
    const page = await listUsers(adapter, query, request.signal);
    return jsonResponse(page, { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
