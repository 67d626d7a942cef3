import { errorResponse, unauthenticated } from "@/lib/api/errors";
import { getAdminSession } from "@/lib/auth/session";
import { csvExportResponse, exportQueryFrom } from "@/lib/export/export-response";
import { getProvider } from "@/lib/providers";
import { serverEnv } from "@/lib/server-env";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ provider: string }>;
}

/**
 * `GET /api/{provider}/users/export`: every user matching the filters as a
 * streamed CSV download (see the README, "CSV export"). The session is
 * checked first, so an anonymous caller learns nothing.
 */
export async function GET(request: Request, context: Context): Promise<Response> {
  try {
    const session = await getAdminSession(request);
    if (!session) throw unauthenticated();
    const adapter = getProvider((await context.params).provider);
    const query = exportQueryFrom(adapter.id, new URL(request.url).searchParams);
    return await csvExportResponse({
      adapter,
      admin: session.email,
      query,
      concurrency: serverEnv().EXPORT_CONCURRENCY,
      signal: request.signal,
    });
  } catch (error) {
    return errorResponse(error, "GET /api/[provider]/users/export", request);
  }
}
