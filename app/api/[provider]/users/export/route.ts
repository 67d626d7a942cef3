import { exportQueryFrom } from "@/lib/api/queries";
import { csvExportResponse } from "@/lib/export/export-response";
import { exportSlots } from "@/lib/export/slots";
import { getProvider, getSourceAdapter } from "@/lib/providers";
import { serverEnv } from "@/lib/server-env";
import { adminDownload, otherMethods } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/{provider}/users/export`: every user matching the filters as a
 * streamed CSV download (see the README, "CSV export"). The session is
 * checked first, so an anonymous caller learns nothing; then the query (400),
 * then an export slot (429 `too_many_exports`).
 */
export const GET = adminDownload<{ provider: string }>(
  "GET /api/[provider]/users/export",
  async ({ request, session, params }) => {
    const { provider } = params;
    const query = exportQueryFrom(getProvider(provider).id, new URL(request.url).searchParams);
    return await csvExportResponse({
      adapter: getSourceAdapter(provider, query.source),
      admin: session.email,
      query,
      concurrency: serverEnv().EXPORT_CONCURRENCY,
      signal: request.signal,
      slots: exportSlots,
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
