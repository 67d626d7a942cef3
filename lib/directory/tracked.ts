import type { TrackedField } from "./schema";

/** What the tracked fields are read from: a version of a vendor user. */
export interface TrackedSource {
  email: string | null;
  name: string | null;
  status: string;
  role: string | null;
  groups: { id: string; name: string }[] | null;
  vendor: Record<string, unknown>;
}

/** The tracked flags, each with the vendor record's key it is read from. */
export const VENDOR_FLAG_KEYS = {
  ssoBypass: "organization_user_bypasses_sso",
  serviceAccount: "is_service_account",
  scimManaged: "is_scim_managed",
} as const satisfies Partial<Record<TrackedField, string>>;

type VendorFlagField = keyof typeof VENDOR_FLAG_KEYS;

type TrackedValues = Record<Exclude<TrackedField, "groups" | VendorFlagField>, string | null> &
  Record<VendorFlagField, boolean | null> & {
    /** The groups' (or projects') names, sorted: the same groups in another order are no change. */
    groups: string[] | null;
  };

/**
 * The fields a change is reported on (Changes, a person's history), read the
 * same way for both: a flag is its boolean or null, groups are sorted names.
 */
export function trackedValues(row: TrackedSource): TrackedValues {
  const flag = (key: string) =>
    typeof row.vendor[key] === "boolean" ? (row.vendor[key] as boolean) : null;
  return {
    email: row.email,
    name: row.name,
    status: row.status,
    role: row.role,
    groups: row.groups ? row.groups.map((g) => g.name).sort() : null,
    ssoBypass: flag(VENDOR_FLAG_KEYS.ssoBypass),
    serviceAccount: flag(VENDOR_FLAG_KEYS.serviceAccount),
    scimManaged: flag(VENDOR_FLAG_KEYS.scimManaged),
  };
}
