import { NewReviewForm } from "@/components/reviews/new-review-form";
import { PageShell } from "@/components/nav/page-shell";
import { ReviewsTable } from "@/components/reviews/reviews-table";
import { requirePageSession } from "@/lib/auth/page-session";
import { getDb } from "@/lib/db/client";
import { utcDay } from "@/lib/reviews/due";
import { listReviews } from "@/lib/reviews/store";

export const metadata = { title: "Access reviews · Roster" };

/** The access reviews: the list and the form that starts one. */
export default async function ReviewsPage() {
  const session = await requirePageSession("/reviews");
  const reviews = await listReviews(await getDb());
  return (
    <PageShell current="/reviews" session={session}>
      <h1 className="text-xl font-semibold">Access reviews</h1>
      <ReviewsTable reviews={reviews} today={utcDay()} />
      <NewReviewForm />
    </PageShell>
  );
}
