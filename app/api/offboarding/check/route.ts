import { ApiError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/request-guards";
import { MAX_CHECK_BODY_BYTES, NDJSON_TYPE, parseCheckRequest } from "@/lib/offboarding/schema";
import { checkStreamResponse, runCheck } from "@/lib/offboarding/service";
import { NO_STORE, adminMutation, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `POST /api/offboarding/check`: which of these addresses still have an
 * account at each vendor, asked live (see the README, "Offboarding check").
 * Session first, then the cross-site and size guards, then the body.
 * `Accept: application/x-ndjson` streams progress; otherwise one JSON answer.
 */
export const POST = adminMutation(
  "POST /api/offboarding/check",
  { noQuery: true },
  async ({ request, session }) => {
    const parsed = parseCheckRequest(await readJsonBody(request, MAX_CHECK_BODY_BYTES));
    if (!parsed.ok) throw new ApiError("invalid_body", parsed.message);
    const input = { admin: session.email, request: parsed.value, signal: request.signal };
    if (request.headers.get("accept")?.includes(NDJSON_TYPE)) return checkStreamResponse(input);
    const result = await runCheck(input);
    return jsonResponse(result, { headers: NO_STORE });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
