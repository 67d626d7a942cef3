"use client";

import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/**
 * A link between Roster's pages for the header: an `<a>` whose plain left
 * click navigates on the client (`router.push`), as next/link's does, while
 * other clicks (new tab, new window, download) stay the browser's. next/link
 * would add ~4 kB gz to every page's first load for its prefetching, and the
 * header's pages are all dynamic without a loading.js, so it would prefetch
 * next to nothing for them.
 */
export function NavLink({ href, onClick, ...props }: ComponentProps<"a"> & { href: string }) {
  const router = useRouter();
  return (
    <a
      href={href}
      {...props}
      onClick={(event) => {
        onClick?.(event);
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey ||
          (props.target !== undefined && props.target !== "_self") ||
          props.download !== undefined
        ) {
          return;
        }
        event.preventDefault();
        router.push(href);
      }}
    />
  );
}
