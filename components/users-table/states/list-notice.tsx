import { buttonClass } from "@/components/ui/button";

/** A passing note above the list, such as why it started again from the top. */
export function ListNotice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  return (
    <div
      role="status"
      data-testid="list-notice"
      className="flex flex-wrap items-center justify-between gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <span>{text}</span>
      <button type="button" className={buttonClass.secondary} onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
