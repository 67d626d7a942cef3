import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { listChanges } from "@/lib/directory/changes";
import { parseChangesQuery } from "@/lib/directory/schema";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `GET /api/directory/changes?provider=&from=&to=&change=&field=&limit=&cursor=`:
 * users added, removed and changed between two snapshots (ids or ISO times;
 * `to` defaults to the current snapshot, `from` to the one before it), or
 * only one of the three (`change`), or only those whose `field` changed.
 */
export const GET = adminRoute("GET /api/directory/changes", async ({ request }) => {
  const query = parseChangesQuery(new URL(request.url).searchParams);
  if (!query.ok) throw new ApiError("invalid_query", query.message);
  const page = await listChanges(await getDb(), query.value);
  return jsonResponse(page, { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
