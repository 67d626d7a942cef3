/** The sandbox's generated Telnyx users: the hard cases first, then random ones. */
import {
  COMPANY_DOMAIN,
  FIRST_NAMES,
  LAST_NAMES,
  OTHER_DOMAINS,
  TELNYX_GROUP_NAMES,
} from "../data-samples";
import {
  DATA_END,
  DAY_MS,
  EmailRegistry,
  TELNYX_START,
  asciiLocal,
  compareIds,
  pickDistinct,
} from "../data-shared";
import type { Rng } from "../random";
import type { TelnyxUser, TelnyxGroup } from "../data";

type TelnyxHardCase = (
  user: TelnyxUser,
  ctx: { previous: TelnyxUser | undefined; groups: TelnyxGroup[] },
) => Partial<TelnyxUser>;

const TELNYX_HARD_CASES: TelnyxHardCase[] = [
  () => ({ email: '"doe, jane"@contoso.com' }),
  () => ({ email: '"john \\"jj\\" smith"@globex.net' }),
  () => ({ email: '"night\nshift"@contoso.com', last_sign_in_at: null }),
  () => ({ email: "yamada.taro@例え.jp" }),
  () => ({ email: "Сергей@Пример.рф", user_status: "blocked" }),
  () => ({ email: "party🎉@globex.net" }),
  () => ({ email: "=1+1@contoso.com" }),
  () => ({ email: "+billing@contoso.com", user_status: "disabled" }),
  () => ({ email: "-ops@contoso.com", groups: [] }),
  () => ({ email: "Mixed.Case@Contoso.COM" }),
  () => ({ email: "josé.garcía@northwind.io", organization_user_bypasses_sso: true }),
  (_u, { groups }) => ({ groups: [...groups] }),
  () => ({ groups: [], last_sign_in_at: null, user_status: "disabled" }),
  () => ({ user_status: "blocked", last_sign_in_at: null }),
  (_u, { groups }) => ({
    groups: groups.filter((g) => /[,"\n]|^[=+\-@]|[^\x20-\x7e]/.test(g.name)),
  }),
  // Same created_at as its neighbour: the order falls back to the id.
  (_u, { previous }) => (previous ? { created_at: previous.created_at } : {}),
];

export function generateTelnyx(rng: Rng, count: number): TelnyxUser[] {
  const groups: TelnyxGroup[] = TELNYX_GROUP_NAMES.map((name) => ({ id: rng.uuid(), name }));
  const emails = new EmailRegistry();
  const users: TelnyxUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = randomTelnyxUser(rng, emails, groups, i === 0);
    const hardCase = i > 0 ? TELNYX_HARD_CASES[i - 1] : undefined;
    if (hardCase) {
      const patch = hardCase(user, { previous: users[i - 1], groups });
      if (patch.email !== undefined) patch.email = emails.replace(user.email, patch.email);
      Object.assign(user, patch);
    }
    users.push(user);
  }
  return users.sort((a, b) => compareIds(a.created_at, b.created_at) || compareIds(a.id, b.id));
}

function randomTelnyxUser(
  rng: Rng,
  emails: EmailRegistry,
  groups: TelnyxGroup[],
  owner: boolean,
): TelnyxUser {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const domain = rng.chance(0.85) ? COMPANY_DOMAIN : rng.pick(OTHER_DOMAINS);
  const created = owner
    ? TELNYX_START
    : TELNYX_START + Math.floor(rng.next() * (DATA_END - TELNYX_START - 30 * DAY_MS));
  const statusRoll = rng.next();
  const groupRoll = rng.next();
  const groupCount =
    groupRoll < 0.25
      ? 0
      : groupRoll < 0.93
        ? rng.int(1, 3)
        : groupRoll < 0.99
          ? rng.int(4, 12)
          : rng.int(15, 30);
  return {
    id: rng.uuid(),
    record_type: owner ? "organization_owner" : "organization_sub_user",
    email: emails.claim(owner ? "admin" : asciiLocal(rng, first, last), domain),
    user_status: owner || statusRoll < 0.8 ? "enabled" : statusRoll < 0.92 ? "disabled" : "blocked",
    organization_user_bypasses_sso: owner || rng.chance(0.08),
    created_at: new Date(created).toISOString(),
    last_sign_in_at:
      !owner && rng.chance(0.15)
        ? null
        : new Date(created + Math.floor(rng.next() * (DATA_END - created))).toISOString(),
    groups: pickDistinct(rng, groups, owner ? 3 : groupCount),
  };
}
