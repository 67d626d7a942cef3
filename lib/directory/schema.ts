/**
 * The directory API's contract, shared by the route handlers and the browser.
 * No server imports.
 */
import { z } from "zod/mini";

import { providerIdSchema } from "@/lib/users/schema";

export const providerStatusSchema = z.object({
  configured: z.boolean(),
  current: z.nullable(
    z.object({ snapshotId: z.number(), finishedAt: z.string(), rows: z.number() }),
  ),
  running: z.nullable(
    z.object({
      snapshotId: z.number(),
      startedAt: z.string(),
      rowsSoFar: z.number(),
      total: z.nullable(z.number()),
    }),
  ),
  /** The latest sync that failed or was cancelled after the current snapshot was taken. */
  lastFailure: z.nullable(z.object({ at: z.string(), code: z.string(), message: z.string() })),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

export const directoryStatusSchema = z.object({
  providers: z.record(providerIdSchema, providerStatusSchema),
});
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;

export const syncRequestSchema = z.strictObject({
  provider: z.optional(providerIdSchema),
});

/** The fields whose changes the history reports. */
export const TRACKED_FIELDS = [
  "email",
  "name",
  "status",
  "role",
  "groups",
  "ssoBypass",
  "serviceAccount",
  "scimManaged",
] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

const fieldValue = z.union([z.string(), z.boolean(), z.null()]);

export const changeSchema = z.object({
  id: z.string(),
  email: z.nullable(z.string()),
  name: z.nullable(z.string()),
  change: z.enum(["added", "removed", "changed"]),
  /** For `changed`: each tracked field that differs, old and new (groups as names joined by "; "). */
  fields: z.array(z.object({ field: z.enum(TRACKED_FIELDS), old: fieldValue, new: fieldValue })),
});
export type Change = z.infer<typeof changeSchema>;

const snapshotRefSchema = z.object({ snapshotId: z.number(), finishedAt: z.string() });

export const changesPageSchema = z.object({
  provider: providerIdSchema,
  /** null: before the first snapshot (everything is "added"). */
  from: z.nullable(snapshotRefSchema),
  to: snapshotRefSchema,
  data: z.array(changeSchema),
  nextCursor: z.nullable(z.string()),
});
export type ChangesPage = z.infer<typeof changesPageSchema>;
