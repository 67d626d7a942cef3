import { ApiError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/request-guards";
import { configuredProviders, startSyncs } from "@/lib/directory/jobs";
import { syncRequestSchema } from "@/lib/directory/schema";
import { getProvider } from "@/lib/providers";
import { PROVIDER_LABELS } from "@/lib/users/contract";
import { NO_STORE, adminMutation, otherMethods } from "@/lib/api/route";
import { jsonResponse } from "@/lib/api/json";

export const dynamic = "force-dynamic";

/**
 * `POST /api/directory/sync` with `{}` (every configured vendor) or
 * `{ "provider": "openai" }`: starts the syncs and answers 202 with their
 * ids; 409 `sync_running` when a sync of that vendor already runs anywhere.
 */
export const POST = adminMutation(
  "POST /api/directory/sync",
  { noQuery: true },
  async ({ request, session }) => {
    const body = syncRequestSchema.safeParse(await readJsonBody(request, 1024));
    if (!body.success) {
      throw new ApiError(
        "invalid_body",
        'The body must be {} or { "provider": "telnyx" | "openai" }.',
      );
    }
    const provider = body.data.provider;
    if (provider && !getProvider(provider).isConfigured()) {
      throw new ApiError(
        "provider_not_configured",
        `${PROVIDER_LABELS[provider]} is not configured, so it cannot be synced.`,
      );
    }
    const providers = provider ? [provider] : configuredProviders();
    const syncs = await startSyncs(providers, session.email);
    return jsonResponse({ syncs }, { status: 202, headers: NO_STORE });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
