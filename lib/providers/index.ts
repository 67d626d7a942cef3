import "server-only";

import { ApiError } from "@/lib/api/errors";
import { PROVIDER_IDS, providerIdSchema, type ProviderId } from "@/lib/users/schema";

import { openaiAdapter } from "./openai";
import { telnyxAdapter } from "./telnyx";
import type { ProviderAdapter } from "./types";

/** Routes reach the vendors only through this registry, never by importing a vendor file. */
const ADAPTERS = {
  telnyx: telnyxAdapter,
  openai: openaiAdapter,
} as const satisfies Record<ProviderId, ProviderAdapter>;

/** The adapter for a path segment, or 404 `unknown_provider`. */
export function getProvider(id: string): ProviderAdapter {
  const parsed = providerIdSchema.safeParse(id);
  if (!parsed.success) {
    throw new ApiError(
      "unknown_provider",
      `Unknown provider. Roster knows: ${PROVIDER_IDS.join(", ")}.`,
    );
  }
  return ADAPTERS[parsed.data];
}

export type { ProviderAdapter, VendorPosition } from "./types";
