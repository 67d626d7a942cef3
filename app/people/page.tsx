import { Suspense } from "react";

import { UserMenu } from "@/components/auth/user-menu";
import { PeopleView } from "@/components/people/people-view";
import { pathWithQuery, type PageSearchParams } from "@/lib/auth/callback-url";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

/** People: one row per person across the vendors (the list itself loads in the browser). */
export default async function PeoplePage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const session = await requirePageSession(pathWithQuery("/people", await searchParams));
  return (
    <Providers>
      <Suspense>
        <PeopleView userMenu={<UserMenu email={session.email} name={session.name} />} />
      </Suspense>
    </Providers>
  );
}
