/**
 * Every vendor Roster knows, browser-safe: labels, configuration help, what
 * it calls groups, its columns. Server-side behaviour lives in each vendor's
 * adapter.ts, registered in lib/providers/index.ts.
 */
import type { ProviderId } from "@/lib/users/schema";

import { openaiMeta } from "./openai/meta";
import { telnyxMeta } from "./telnyx/meta";
import type { VendorMeta } from "./vendor-meta";

export type { VendorMeta } from "./vendor-meta";

export const VENDORS: Record<ProviderId, VendorMeta> = {
  telnyx: telnyxMeta,
  openai: openaiMeta,
};
