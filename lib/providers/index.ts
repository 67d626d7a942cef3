import "server-only";

import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db/client";
import { serverEnv } from "@/lib/server-env";
import { directoryAdapter } from "@/lib/directory/read";
import { skipCheckedReader } from "@/lib/directory/skip-check";
import { providerIdSchema, type ProviderId, type UsersSource } from "@/lib/users/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";

import { openaiAdapter } from "./openai/adapter";
import { telnyxAdapter } from "./telnyx/adapter";
import type { ProviderAdapter, UsersReader } from "./types";

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

/** Which vendors have a key on this server: the only configuration fact the browser gets. */
export function configuredProviders(): Record<ProviderId, boolean> {
  return Object.fromEntries(PROVIDER_IDS.map((id) => [id, ADAPTERS[id].isConfigured()])) as Record<
    ProviderId,
    boolean
  >;
}

/**
 * The adapter answering a list or an export: the vendor's (Telnyx's export
 * and live list checked against the directory for users a shifted page
 * skipped, see lib/directory/skip-check.ts), or for `source=directory` the
 * directory's reader of the same vendor.
 */
export function getSourceAdapter(id: string, source: UsersSource): UsersReader {
  const vendor = getProvider(id);
  return source === "directory"
    ? directoryAdapter(vendor.id, getDb)
    : skipCheckedReader(vendor, getDb, { listConcurrency: serverEnv().EXPORT_CONCURRENCY });
}

export type { ProviderAdapter, UsersReader } from "./types";
