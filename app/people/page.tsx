import { Suspense } from "react";

import { UserMenu } from "@/components/auth/user-menu";
import { PeopleView } from "@/components/people/people-view";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

type SearchParams = Record<string, string | string[] | undefined>;

/** People: one row per person across the vendors (the list itself loads in the browser). */
export default async function PeoplePage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(key, v);
  }
  const session = await requirePageSession(
    query.size > 0 ? `/people?${query.toString()}` : "/people",
  );
  return (
    <Providers>
      <Suspense>
        <PeopleView userMenu={<UserMenu email={session.email} name={session.name} />} />
      </Suspense>
    </Providers>
  );
}
