import Link from "next/link";

import { focusRing } from "@/components/ui/button";

const LINKS = [
  { href: "/", label: "Users" },
  { href: "/people", label: "People" },
] as const;

/** The app's sections; the People page's own until the shared navigation lands. */
export function PeopleNav({ current }: { current: "/" | "/people" }) {
  return (
    <nav aria-label="Sections">
      <ul className="flex gap-1">
        {LINKS.map((link) => (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={link.href === current ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${focusRing} ${
                link.href === current
                  ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
              }`}
            >
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
