"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";

import { buttonClass } from "@/components/ui/button";

/** The key the list recorded when it opened a person (people-list.tsx). */
function openedFromList(key: string): boolean {
  for (let i = 0; i < sessionStorage.length; i++) {
    const name = sessionStorage.key(i);
    if (name?.startsWith("roster.people.scroll:")) {
      const saved = sessionStorage.getItem(name);
      if (saved && (JSON.parse(saved) as { key?: string }).key === key) return true;
    }
  }
  return false;
}

/**
 * Back to the list: a history step when the list opened this page, so the
 * list comes back at the same row; a plain link when the page was reached
 * directly (a shared URL, a reload in a new tab).
 */
export function BackToPeople({ personKey }: { personKey: string }) {
  const router = useRouter();
  return (
    <Link
      href="/people"
      className={`${buttonClass.ghost} -ml-2 mb-1`}
      onClick={(event) => {
        if (window.history.length > 1 && openedFromList(personKey)) {
          event.preventDefault();
          router.back();
        }
      }}
    >
      ← People
    </Link>
  );
}
