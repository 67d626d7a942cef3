import type { Metadata } from "next";

import { NotFoundPanel } from "@/components/nav/not-found-panel";

export const metadata: Metadata = { title: "Page not found · Roster" };

/** Any address Roster has no page for (Next.js's own 404 page is unbranded and breaks the CSP). */
export default function NotFound() {
  return (
    <NotFoundPanel
      title="Page not found"
      message="Roster has no page at this address. It may be mistyped, or a link to something that is gone."
      back={{ href: "/", label: "Go to Users" }}
    />
  );
}
