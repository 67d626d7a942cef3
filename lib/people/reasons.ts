import type { ProviderId, User } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

import { dormantCutoff, type PeopleConfig } from "./build";
import type { Person, PersonFlag } from "./schema";
import { PERSON_FLAGS } from "./contract";

type Accounts = Person["accounts"];
type Roster = Person["roster"];

const ACTIVITY: Record<ProviderId, string> = { telnyx: "sign-in", openai: "API-key use" };

function all(accounts: Accounts): User[] {
  return [...accounts.telnyx, ...accounts.openai];
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function list(labels: readonly string[]): string {
  const unique = [...new Set(labels)];
  return unique.length <= 1
    ? (unique[0] ?? "")
    : `${unique.slice(0, -1).join(", ")} and ${unique.at(-1)}`;
}

function vendorsWhere(accounts: Accounts, test: (user: User) => boolean): string {
  return list(
    all(accounts)
      .filter(test)
      .map((user) => PROVIDER_LABELS[user.provider]),
  );
}

/**
 * The one-line reason for a flag the rebuild set. The rebuild decides (in SQL,
 * over every row at once); this only explains, from the same person's data.
 */
export function flagReason(
  flag: PersonFlag,
  person: { key: string; accounts: Accounts; roster: Roster },
  config: PeopleConfig,
): string {
  const { accounts, roster } = person;
  switch (flag) {
    case "leaver_with_access":
      return `Left per the HR roster${roster?.endDate ? ` (end date ${roster.endDate})` : ""}, still enabled in ${vendorsWhere(accounts, (u) => u.status === "enabled")}`;
    case "used_after_leaving": {
      const latest = all(accounts)
        .filter((u) => u.lastActiveAt !== null)
        .sort((a, b) => (a.lastActiveAt! < b.lastActiveAt! ? 1 : -1))[0];
      if (!latest?.lastActiveAt) return "Used after the roster's end date";
      return `${PROVIDER_LABELS[latest.provider]} ${ACTIVITY[latest.provider]} on ${day(latest.lastActiveAt)}, after the end date ${roster?.endDate ?? "?"}`;
    }
    case "not_in_roster":
      return "Not in the HR roster in force";
    case "inconsistent_status": {
      // The accounts of a vendor where none is enabled (the build's "off").
      const on = new Set(
        all(accounts)
          .filter((u) => u.status === "enabled")
          .map((u) => u.provider),
      );
      const off = all(accounts).filter((u) => !on.has(u.provider));
      return `Enabled in ${vendorsWhere(accounts, (u) => u.status === "enabled")}, ${list(off.map((u) => `${u.status} in ${PROVIDER_LABELS[u.provider]}`))}`;
    }
    case "privileged":
      return `Owner in ${vendorsWhere(accounts, (u) => u.role === "owner")}`;
    case "sso_bypass":
      return "Telnyx account bypasses SSO";
    case "dormant": {
      const cutoff = dormantCutoff(config).toISOString();
      const idle = all(accounts).filter(
        (u) => u.status === "enabled" && (u.lastActiveAt === null || u.lastActiveAt < cutoff),
      );
      const parts = idle.map((u) =>
        u.lastActiveAt === null
          ? `${PROVIDER_LABELS[u.provider]}: no ${ACTIVITY[u.provider]} ever`
          : `${PROVIDER_LABELS[u.provider]}: last ${ACTIVITY[u.provider]} ${day(u.lastActiveAt)}`,
      );
      return `Enabled, unused for over ${config.dormantDays} days (${parts.join("; ")})`;
    }
    case "external": {
      const domain = person.key.includes("@")
        ? person.key.slice(person.key.lastIndexOf("@") + 1)
        : "";
      return `Domain ${domain || "(none)"} is not a company domain`;
    }
    case "not_scim_managed":
      return "OpenAI account not managed through SCIM, while others in the organization are";
    case "service_account": {
      const names = accounts.openai
        .filter((u) => u.vendor.is_service_account === true)
        .map((u) => u.name ?? u.id);
      return `OpenAI service account${names.length > 0 ? ` (${list(names)})` : ""}`;
    }
  }
}

/** Flags in their fixed order, each with its reason. */
export function explainFlags(
  flags: readonly string[],
  person: { key: string; accounts: Accounts; roster: Roster },
  config: PeopleConfig,
): Person["flags"] {
  return PERSON_FLAGS.filter((flag) => flags.includes(flag)).map((flag) => ({
    flag,
    reason: flagReason(flag, person, config),
  }));
}
