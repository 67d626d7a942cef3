import { ApiError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/request-guards";
import { cancelSync } from "@/lib/directory/jobs";
import { syncRequestSchema } from "@/lib/directory/schema";
import { NO_STORE, adminMutation, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `POST /api/directory/sync/cancel` with `{ "provider": "openai" }`: stops
 * that vendor's running sync, on whichever instance runs it; the previous
 * snapshot stays current. 404 `not_found` when none runs.
 */
export const POST = adminMutation(
  "POST /api/directory/sync/cancel",
  { noQuery: true },
  async ({ request, session }) => {
    const body = syncRequestSchema.safeParse(await readJsonBody(request, 1024));
    if (!body.success || !body.data.provider) {
      throw new ApiError("invalid_body", 'The body must be { "provider": "telnyx" | "openai" }.');
    }
    if (!(await cancelSync(body.data.provider, session.email))) {
      throw new ApiError("not_found", "No sync of that vendor is running.");
    }
    return jsonResponse({ cancelled: true }, { headers: NO_STORE });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
