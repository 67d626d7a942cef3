import { focusRing } from "@/components/ui/button";

import { NavLink } from "./nav-link";

/** The app's pages; add a page here and it shows in every header. */
const LINKS = [
  { href: "/", label: "Users" },
  { href: "/people", label: "People" },
  { href: "/changes", label: "Changes" },
  { href: "/offboarding", label: "Offboarding" },
  { href: "/reviews", label: "Reviews" },
  { href: "/activity", label: "Activity" },
] as const;

/** The pages of Roster, the current one marked for assistive tech and by style. */
export type AppPage = (typeof LINKS)[number]["href"];

/** On a narrow screen the links wrap onto a second line rather than scroll out of sight. */
export function AppNav({ current, className = "" }: { current: AppPage; className?: string }) {
  return (
    <nav aria-label="Main" className={`min-w-0 ${className}`}>
      <ul className="flex flex-wrap items-center gap-1 text-sm">
        {LINKS.map((link) => {
          const active = link.href === current;
          return (
            <li key={link.href}>
              <NavLink
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-2 py-1 font-medium ${focusRing} ${
                  active
                    ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
                    : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
                }`}
              >
                {link.label}
              </NavLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
