import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { listPeople } from "@/lib/people/list";
import { parsePeopleQuery } from "@/lib/people/schema";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/people?email=&flag=&vendor=&limit=&cursor=`: one page of people (lib/people/schema.ts). */
export const GET = adminRoute("GET /api/people", async ({ request }) => {
  const query = parsePeopleQuery(new URL(request.url).searchParams);
  if (!query.ok) throw new ApiError("invalid_query", query.message);
  const page = await listPeople(await getDb(), query.value);
  return jsonResponse(page, { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
