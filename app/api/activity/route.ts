import { ApiError } from "@/lib/api/errors";
import { listActivity } from "@/lib/activity/log";
import { parseActivityQuery } from "@/lib/activity/schema";
import { getDb } from "@/lib/db/client";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/activity?kind=&admin=&from=&to=&limit=&cursor=`: entries, newest first. */
export const GET = adminRoute("GET /api/activity", async ({ request }) => {
  const query = parseActivityQuery(new URL(request.url).searchParams);
  if (!query.ok) throw new ApiError("invalid_query", query.message);
  return jsonResponse(await listActivity(await getDb(), query.value), { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
