import { z } from "zod";

/** OpenAI `GET /v1/organization/users` as it arrives on the wire: validated before Roster reads a field. Private to the vendor's folder. */
/** Bounded to what a JS Date can hold, so a wild value fails validation instead of `toISOString()`. */
const unixSeconds = z.number().nonnegative().max(8_640_000_000_000);

export const rawUserSchema = z.looseObject({
  object: z.literal("organization.user"),
  id: z.string().min(1),
  added_at: unixSeconds,
  email: z.string().nullish(),
  name: z.string().nullish(),
  role: z.string().nullish(),
  api_key_last_used_at: unixSeconds.nullish(),
  projects: z
    .looseObject({
      object: z.literal("list"),
      data: z.array(
        z.looseObject({
          id: z.string().nullish(),
          name: z.string().nullish(),
          role: z.string().nullish(),
        }),
      ),
    })
    .nullish(),
  user: z
    .looseObject({
      object: z.literal("user"),
      id: z.string(),
      email: z.string().nullish(),
      name: z.string().nullish(),
      enabled: z.boolean().nullish(),
      banned: z.boolean().nullish(),
    })
    .nullish(),
});
export type RawUser = z.infer<typeof rawUserSchema>;

export const rawPageSchema = z.looseObject({
  object: z.literal("list"),
  data: z.array(rawUserSchema),
  has_more: z.boolean(),
  first_id: z.string().nullish(),
  last_id: z.string().nullish(),
});
export type RawPage = z.infer<typeof rawPageSchema>;
