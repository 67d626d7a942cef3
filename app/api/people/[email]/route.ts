import { ApiError } from "@/lib/api/errors";
import { isStorableText } from "@/lib/api/text";
import { getDb } from "@/lib/db/client";
import { getPerson, personKeyFrom } from "@/lib/people/person";
import { NO_STORE, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/people/{email}`: one person, every account, flags and history. */
export const GET = adminRoute<{ email: string }>(
  "GET /api/people/[email]",
  { noQuery: true },
  async ({ params }) => {
    // Next.js decodes a route handler's params (its pages get them encoded): no second decode.
    const segment = params.email;
    // An address with a NUL or a broken character cannot be one any vendor has.
    if (!isStorableText(segment))
      throw new ApiError("not_found", "No vendor account has or had this email.");
    if (segment.trim() === "" || segment.length > 320) {
      throw new ApiError("invalid_query", "email must be from 1 to 320 characters");
    }
    const detail = await getPerson(await getDb(), personKeyFrom(segment));
    if (!detail) {
      throw new ApiError("not_found", "No vendor account has or had this email.");
    }
    return jsonResponse(detail, { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
