/** Roster's mark and name, at the start of every page's header: the page's `h1` on the dashboard, which has no other title. */
export function Brand({ as: Tag = "p" }: { as?: "h1" | "p" }) {
  return (
    <Tag
      data-testid="brand"
      className="flex items-center gap-2 text-lg font-semibold tracking-tight"
    >
      <span
        aria-hidden="true"
        className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white"
      >
        R
      </span>
      Roster
    </Tag>
  );
}
