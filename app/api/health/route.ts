import { databaseAnswers } from "@/lib/db/health";
import { jsonResponse } from "@/lib/api/json";
import { otherMethods } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/health`: for load balancers and the container's healthcheck, so it
 * needs no session and says nothing but whether this instance can serve:
 * 200 when the database answers, 503 when it does not.
 */
export async function GET(): Promise<Response> {
  const ok = await databaseAnswers();
  return jsonResponse(
    { status: ok ? "ok" : "unavailable", database: ok ? "ok" : "unreachable" },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
