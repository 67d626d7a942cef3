import { notFound } from "next/navigation";

import { PageShell } from "@/components/nav/page-shell";
import { ReviewDetail } from "@/components/reviews/review-detail";
import { pathWithQuery, type PageSearchParams } from "@/lib/auth/callback-url";
import { requirePageSession } from "@/lib/auth/page-session";
import { getDb } from "@/lib/db/client";
import { utcDay } from "@/lib/reviews/due";
import { getReview } from "@/lib/reviews/store";

export const metadata = { title: "Access review · Roster" };

/** One access review; its accounts load in the browser from the items API. */
export default async function ReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<PageSearchParams>;
}) {
  const { id } = await params;
  // Back here after signing in, with the filter (`?show=`) it had.
  const session = await requirePageSession(
    pathWithQuery(`/reviews/${encodeURIComponent(id)}`, await searchParams),
  );
  const reviewId = /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : NaN;
  const review = Number.isSafeInteger(reviewId) ? await getReview(await getDb(), reviewId) : null;
  if (!review) notFound();
  return (
    <PageShell current="/reviews" session={session}>
      <ReviewDetail initial={review} today={utcDay()} />
    </PageShell>
  );
}
