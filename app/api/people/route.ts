import { ApiError, errorResponse, unauthenticated } from "@/lib/api/errors";
import { getAdminSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listPeople } from "@/lib/people/list";
import { parsePeopleQuery } from "@/lib/people/schema";

export const dynamic = "force-dynamic";

/** `GET /api/people?email=&flag=&vendor=&limit=&cursor=`: one page of people (lib/people/schema.ts). */
export async function GET(request: Request): Promise<Response> {
  try {
    if (!(await getAdminSession(request))) throw unauthenticated();
    const query = parsePeopleQuery(new URL(request.url).searchParams);
    if (!query.ok) throw new ApiError("invalid_query", query.message);
    const page = await listPeople(await getDb(), query.value);
    return Response.json(page, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /api/people", request);
  }
}
