import { UserMenu } from "@/components/auth/user-menu";
import { Dashboard } from "@/components/dashboard/dashboard";
import { requirePageSession } from "@/lib/auth/page-session";
import { configuredProviders } from "@/lib/providers";
import type { ConfiguredProviders } from "@/lib/users/view-state";

import { Providers } from "./providers";

/**
 * The users dashboard. Only booleans about the configuration cross to the
 * browser: which providers have a key, never the keys themselves.
 */
type SearchParams = Record<string, string | string[] | undefined>;

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(key, v);
  }
  const session = await requirePageSession(query.size > 0 ? `/?${query.toString()}` : "/");
  const configured: ConfiguredProviders = configuredProviders();
  return (
    <Providers>
      <Dashboard
        configured={configured}
        userMenu={<UserMenu email={session.email} name={session.name} />}
      />
    </Providers>
  );
}
