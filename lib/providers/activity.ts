import type { ProviderId } from "@/lib/users/schema";

/**
 * The keys of each vendor's user record that move with use alone: the
 * record's own form of `lastActiveAt` (Telnyx's last sign-in, the last use
 * of an OpenAI user's API key), as each adapter reads it. The directory
 * versions a user on everything else and updates these in place
 * (lib/directory/sync.ts), so that a sign-in is not a new version.
 */
export const ACTIVITY_KEYS: Record<ProviderId, readonly string[]> = {
  telnyx: ["last_sign_in_at"],
  openai: ["api_key_last_used_at"],
};
