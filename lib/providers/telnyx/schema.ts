import { z } from "zod";

import { USER_STATUSES } from "@/lib/users/contract";

/** Telnyx `GET /v2/organizations/users` as it arrives on the wire: validated before Roster reads a field. Private to the vendor's folder. */
const isoDate = z.iso.datetime({ offset: true });

export const rawUserSchema = z.looseObject({
  id: z.string().min(1),
  record_type: z.string(),
  email: z.string().nullish(),
  user_status: z.enum(USER_STATUSES),
  organization_user_bypasses_sso: z.boolean().optional(),
  created_at: isoDate.nullish(),
  last_sign_in_at: isoDate.nullish(),
  groups: z.array(z.looseObject({ id: z.string(), name: z.string() })).optional(),
});
export type RawUser = z.infer<typeof rawUserSchema>;

/** `GET /v2/organizations/users/{id}`. */
export const rawUserResponseSchema = z.looseObject({ data: rawUserSchema });

const count = z.int().nonnegative();
export const rawPageSchema = z.looseObject({
  data: z.array(rawUserSchema),
  meta: z.looseObject({
    total_pages: count,
    total_results: count,
    page_number: count,
    page_size: count.optional(),
  }),
});
export type RawPage = z.infer<typeof rawPageSchema>;
