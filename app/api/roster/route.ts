import { createHash } from "node:crypto";

import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { noteActivity } from "@/lib/activity/record";
import { readBodyBytes } from "@/lib/api/request-guards";
import { removeRoster, rosterInForce, saveRoster } from "@/lib/people/roster";
import { parseRosterCsv, ROSTER_MAX_BYTES } from "@/lib/people/roster-csv";
import { NO_STORE, adminMutation, adminRoute, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/** `GET /api/roster`: the roster in force (metadata), or `{ roster: null }`. */
export const GET = adminRoute("GET /api/roster", { noQuery: true }, async () => {
  return jsonResponse({ roster: await rosterInForce(await getDb()) }, { headers: NO_STORE });
});

/**
 * `POST /api/roster` with a `text/csv` body of at most 20 MB: puts the roster
 * in force, or answers 400 `invalid_roster` with row errors and imports nothing.
 */
export const POST = adminMutation(
  "POST /api/roster",
  { noQuery: true },
  async ({ request, session }) => {
    const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "text/csv") {
      throw new ApiError(
        "unsupported_media_type",
        "Send the roster as the request body with Content-Type: text/csv.",
      );
    }
    const bytes = await readBodyBytes(request, ROSTER_MAX_BYTES);
    const digest = createHash("sha256").update(bytes).digest("hex");
    const rejected = (rows: number) =>
      noteActivity({
        kind: "roster.upload",
        admin: session.email,
        details: {
          outcome: "rejected",
          rows,
          bytes: bytes.byteLength,
          sha256: digest,
          error: "invalid_roster",
        },
      });
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      await rejected(0);
      throw new ApiError("invalid_roster", "The roster is not UTF-8 text.", {
        extra: { rows: [] },
      });
    }
    const parsed = parseRosterCsv(text);
    if (!parsed.ok) {
      await rejected(0);
      throw new ApiError("invalid_roster", parsed.message, { extra: { rows: parsed.errors } });
    }
    const upload = await saveRoster(await getDb(), parsed.rows, {
      uploadedBy: session.email,
      sha256: digest,
    });
    await noteActivity({
      kind: "roster.upload",
      admin: session.email,
      details: {
        outcome: "ok",
        uploadId: upload.id,
        rows: upload.rows,
        bytes: bytes.byteLength,
        sha256: digest,
      },
    });
    return jsonResponse(
      { rows: upload.rows, uploadedAt: upload.uploadedAt },
      { status: 201, headers: NO_STORE },
    );
  },
);

/** `DELETE /api/roster`: takes the roster in force out of force (404 when there is none). */
export const DELETE = adminMutation(
  "DELETE /api/roster",
  { noQuery: true },
  async ({ session }) => {
    const removed = await removeRoster(await getDb(), session.email);
    if (!removed) throw new ApiError("not_found", "No roster is in force.");
    await noteActivity({
      kind: "roster.removed",
      admin: session.email,
      details: { uploadId: removed.id },
    });
    return jsonResponse({ removed: removed.id }, { headers: NO_STORE });
  },
);

export const { PUT, PATCH, OPTIONS } = otherMethods({ GET, POST, DELETE });
