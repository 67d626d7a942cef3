import { ApiError, errorResponse, unauthenticated } from "@/lib/api/errors";
import { getAdminSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getPerson, personKeyFrom } from "@/lib/people/person";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ email: string }>;
}

/** `GET /api/people/{email}`: one person, every account, flags and history. */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    if (!(await getAdminSession(request))) throw unauthenticated();
    const segment = decodeURIComponent((await context.params).email);
    if (segment.trim() === "" || segment.length > 320) {
      throw new ApiError("invalid_query", "email must be from 1 to 320 characters");
    }
    const detail = await getPerson(await getDb(), personKeyFrom(segment));
    if (!detail) {
      throw new ApiError("not_found", "No vendor account has or had this email.");
    }
    return Response.json(detail, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "GET /api/people/[email]", request);
  }
}
