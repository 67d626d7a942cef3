/** The sandbox's generated OpenAI users: the hard cases first, then random ones. */
import {
  COMPANY_DOMAIN,
  DEVELOPER_PERSONAS,
  FIRST_NAMES,
  INTERNATIONAL_NAMES,
  LAST_NAMES,
  OPENAI_PROJECT_NAMES,
  OTHER_DOMAINS,
  SERVICE_ACCOUNT_NAMES,
  TECHNICAL_LEVELS,
} from "../data-samples";
import {
  DATA_END,
  DAY_MS,
  EmailRegistry,
  OPENAI_START,
  asciiLocal,
  compareIds,
  dropUndefined,
  pickDistinct,
} from "../data-shared";
import type { Rng } from "../random";
import type { OpenAIUser, OpenAIProjectRef } from "../data";

type OpenAIHardCase = (
  user: OpenAIUser,
  ctx: { previous: OpenAIUser | undefined; projects: OpenAIProjectRef[] },
) => void;

function setName(user: OpenAIUser, name: string | null): void {
  user.name = name;
  if (user.user) user.user.name = name;
}

const OPENAI_HARD_CASES: { email?: string | null; apply: OpenAIHardCase }[] = [
  { email: "siobhan.obrien@contoso.com", apply: (u) => setName(u, "O'Brien, Siobhán") },
  { email: '"bobby, tables"@globex.net', apply: (u) => setName(u, 'Robert "Bobby" Tables') },
  { apply: (u) => setName(u, "Mary-Jane\nWatson") },
  { email: "yamada@例え.jp", apply: (u) => setName(u, "山田 太郎") },
  { email: "emoji😀@northwind.io", apply: (u) => setName(u, "Zoë 😀👍🏽") },
  {
    email: "=cmd@contoso.com",
    apply: (u) => setName(u, '=HYPERLINK("http://example.com","click")'),
  },
  { email: "+alerts@contoso.com", apply: (u) => setName(u, "+15551234567") },
  { email: "-dash@globex.net", apply: (u) => setName(u, "-2+3") },
  { apply: (u) => setName(u, "@SUM(A1:A2)") },
  { email: "Dana.Scully@Contoso.com", apply: (u) => setName(u, "Dana Scully") },
  // Service account without an email (null), and one with the key absent altogether.
  {
    email: null,
    apply: (u) => {
      makeServiceAccount(u, "🚀 Launch Bot");
    },
  },
  {
    apply: (u) => {
      makeServiceAccount(u, "svc-nightly-export");
      delete u.email;
      if (u.user) delete u.user.email;
    },
  },
  {
    apply: (u) => {
      u.is_scim_managed = true;
      u.role = "owner";
    },
  },
  {
    apply: (u) => {
      u.user = { ...(u.user ?? { object: "user", id: u.id }), enabled: false };
    },
  },
  {
    apply: (u) => {
      u.user = {
        ...(u.user ?? { object: "user", id: u.id }),
        banned: true,
        banned_at: u.added_at + 86_400 * 30,
      };
    },
  },
  // The bare minimum the API promises.
  {
    apply: (u) => {
      for (const key of Object.keys(u) as (keyof OpenAIUser)[]) {
        if (key !== "object" && key !== "id" && key !== "added_at") delete u[key];
      }
    },
  },
  // Every nullable field null.
  {
    email: null,
    apply: (u) => {
      Object.assign(u, {
        name: null,
        role: null,
        api_key_last_used_at: null,
        developer_persona: null,
        technical_level: null,
        is_scale_tier_authorized_purchaser: null,
        projects: null,
      });
      u.user = {
        object: "user",
        id: u.id,
        email: null,
        name: null,
        picture: null,
        enabled: null,
        banned: null,
        banned_at: null,
      };
    },
  },
  {
    apply: (u, { projects }) => {
      u.projects = { object: "list", data: projects.map((p) => ({ ...p })) };
    },
  },
  {
    apply: (u) => {
      u.projects = { object: "list", data: [] };
    },
  },
  {
    apply: (u) => {
      u.api_key_last_used_at = null;
    },
  },
  // Same added_at as its neighbour: the order falls back to the id.
  {
    apply: (u, { previous }) => {
      if (previous) u.added_at = previous.added_at;
    },
  },
];

export function generateOpenAI(rng: Rng, count: number): OpenAIUser[] {
  const projects: OpenAIProjectRef[] = OPENAI_PROJECT_NAMES.map((name) => ({
    id: `proj_${rng.alnum(24)}`,
    name,
    role: rng.chance(0.3) ? "owner" : "member",
  }));
  const emails = new EmailRegistry();
  const users: OpenAIUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = randomOpenAIUser(rng, emails, projects, i === 0);
    const hardCase = i > 0 ? OPENAI_HARD_CASES[i - 1] : undefined;
    if (hardCase) {
      if (hardCase.email !== undefined) {
        const email = hardCase.email === null ? null : emails.replace(user.email, hardCase.email);
        user.email = email;
        if (user.user) user.user.email = email;
      }
      hardCase.apply(user, { previous: users[i - 1], projects });
    }
    users.push(user);
  }
  return users.sort((a, b) => a.added_at - b.added_at || compareIds(a.id, b.id));
}

function makeServiceAccount(user: OpenAIUser, name: string): void {
  user.is_service_account = true;
  user.role = "reader";
  user.is_scim_managed = false;
  user.developer_persona = null;
  user.technical_level = null;
  setName(user, name);
}

function randomOpenAIUser(
  rng: Rng,
  emails: EmailRegistry,
  projects: OpenAIProjectRef[],
  owner: boolean,
): OpenAIUser {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const addedMs = owner
    ? OPENAI_START
    : OPENAI_START + Math.floor(rng.next() * (DATA_END - OPENAI_START - DAY_MS));
  const addedAt = seconds(addedMs);
  const serviceAccount = !owner && rng.chance(0.03);
  const id = `user${serviceAccount ? "-" : "_"}${rng.alnum(24)}`;

  let name: string | null | undefined;
  let email: string | null | undefined;
  if (serviceAccount) {
    name = `${rng.pick(SERVICE_ACCOUNT_NAMES)}-${rng.int(1, 99)}`;
    email = rng.chance(0.5) ? null : undefined;
  } else if (rng.chance(0.1)) {
    const intl = rng.pick(INTERNATIONAL_NAMES);
    name = intl.name;
    email = emails.claim(intl.local, rng.pick([COMPANY_DOMAIN, ...OTHER_DOMAINS]));
  } else {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const nameRoll = rng.next();
    name = nameRoll < 0.02 ? null : nameRoll < 0.04 ? undefined : `${first} ${last}`;
    email = emails.claim(
      asciiLocal(rng, first, last),
      rng.chance(0.8) ? COMPANY_DOMAIN : rng.pick(OTHER_DOMAINS),
    );
  }

  const pick3 = <T>(
    present: () => T,
    nullShare: number,
    absentShare: number,
  ): T | null | undefined => {
    const roll = rng.next();
    return roll < absentShare ? undefined : roll < absentShare + nullShare ? null : present();
  };
  const projectRoll = rng.next();
  const user: OpenAIUser = {
    object: "organization.user",
    id,
    name,
    email,
    role:
      owner || (!serviceAccount && rng.chance(0.04)) ? "owner" : rng.chance(0.01) ? null : "reader",
    added_at: addedAt,
    created: rng.chance(0.85) ? addedAt - rng.int(0, 400 * 86_400) : undefined,
    api_key_last_used_at: pick3(
      () => addedAt + Math.floor(rng.next() * (seconds(DATA_END) - addedAt)),
      0.4,
      0.1,
    ),
    developer_persona: serviceAccount ? null : pick3(() => rng.pick(DEVELOPER_PERSONAS), 0.2, 0.5),
    technical_level: serviceAccount ? null : pick3(() => rng.pick(TECHNICAL_LEVELS), 0.2, 0.5),
    is_default: rng.chance(0.1) ? undefined : owner,
    is_scim_managed: rng.chance(0.1) ? undefined : !serviceAccount && rng.chance(0.2),
    is_service_account: !serviceAccount && rng.chance(0.1) ? undefined : serviceAccount,
    is_scale_tier_authorized_purchaser: pick3(() => rng.chance(0.08), 0.25, 0.1),
    projects:
      projectRoll < 0.35
        ? undefined
        : projectRoll < 0.6
          ? null
          : {
              object: "list",
              data: pickDistinct(rng, projects, rng.chance(0.03) ? rng.int(8, 20) : rng.int(0, 4)),
            },
    user: rng.chance(0.15)
      ? undefined
      : {
          object: "user",
          id,
          email,
          name,
          picture: rng.chance(0.6)
            ? `https://s.gravatar.com/avatar/${rng.hex(32)}?s=480&r=pg`
            : null,
          enabled: rng.chance(0.03) ? false : rng.chance(0.02) ? null : true,
          banned: rng.chance(0.01) ? null : false,
          banned_at: null,
        },
  };
  return dropUndefined(user);
}
