import { notFound } from "next/navigation";

import { PageShell } from "@/components/nav/page-shell";
import { ReviewDetail } from "@/components/reviews/review-detail";
import { requirePageSession } from "@/lib/auth/page-session";
import { getDb } from "@/lib/db/client";
import { getReview } from "@/lib/reviews/store";

export const metadata = { title: "Access review · Roster" };

/** One access review; its accounts load in the browser from the items API. */
export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requirePageSession(`/reviews/${encodeURIComponent(id)}`);
  const reviewId = /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : NaN;
  const review = Number.isSafeInteger(reviewId) ? await getReview(await getDb(), reviewId) : null;
  if (!review) notFound();
  return (
    <PageShell current="/reviews" session={session}>
      <ReviewDetail initial={review} />
    </PageShell>
  );
}
