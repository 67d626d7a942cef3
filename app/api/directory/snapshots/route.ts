import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { parseSnapshotsQuery } from "@/lib/directory/schema";
import { listSnapshots } from "@/lib/directory/snapshots";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `GET /api/directory/snapshots?provider=&limit=&cursor=`: a vendor's
 * succeeded snapshots, newest first, with when each finished and its users.
 */
export const GET = adminRoute("GET /api/directory/snapshots", async ({ request }) => {
  const query = parseSnapshotsQuery(new URL(request.url).searchParams);
  if (!query.ok) throw new ApiError("invalid_query", query.message);
  return jsonResponse(await listSnapshots(await getDb(), query.value), { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
