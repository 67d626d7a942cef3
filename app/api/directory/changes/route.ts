import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { listChanges } from "@/lib/directory/changes";
import { providerIdSchema } from "@/lib/users/schema";
import { NO_STORE, adminRoute } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

const ALLOWED = ["provider", "from", "to", "limit", "cursor"];

/**
 * `GET /api/directory/changes?provider=&from=&to=&limit=&cursor=`: users
 * added, removed and changed between two snapshots (ids or ISO times; `to`
 * defaults to the current snapshot, `from` to the one before it).
 */
export const GET = adminRoute("GET /api/directory/changes", async ({ request }) => {
  const params = new URL(request.url).searchParams;
  for (const key of new Set(params.keys())) {
    if (!ALLOWED.includes(key)) {
      throw new ApiError(
        "invalid_query",
        `unknown parameter "${key}"; allowed: ${ALLOWED.join(", ")}`,
      );
    }
    if (params.getAll(key).length > 1) {
      throw new ApiError("invalid_query", `${key} must be given at most once`);
    }
  }
  const provider = providerIdSchema.safeParse(params.get("provider"));
  if (!provider.success) throw new ApiError("invalid_query", "provider must be telnyx or openai");
  const limitText = params.get("limit") ?? "100";
  const limit = /^[0-9]{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= 500)) {
    throw new ApiError("invalid_query", "limit must be an integer from 1 to 500");
  }
  const page = await listChanges(await getDb(), {
    provider: provider.data,
    from: params.get("from") ?? undefined,
    to: params.get("to") ?? undefined,
    limit,
    cursor: params.get("cursor") ?? undefined,
  });
  return jsonResponse(page, { headers: NO_STORE });
});
