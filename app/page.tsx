import { UserMenu } from "@/components/auth/user-menu";
import { Dashboard } from "@/components/dashboard/dashboard";
import { pathWithQuery, type PageSearchParams } from "@/lib/auth/callback-url";
import { requirePageSession } from "@/lib/auth/page-session";
import { configuredProviders } from "@/lib/providers";
import type { ConfiguredProviders } from "@/lib/users/view-state";

import { Providers } from "./providers";

/**
 * The users dashboard. Only booleans about the configuration cross to the
 * browser: which providers have a key, never the keys themselves.
 */
export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const session = await requirePageSession(pathWithQuery("/", await searchParams));
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
