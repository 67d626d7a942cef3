import type { ReactNode } from "react";

export const CONTROL_CLASS =
  "rounded-md border border-zinc-300 px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900";

/** A labelled drop-down of the toolbar. */
export function Choice(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <label className="flex flex-col text-sm">
      {props.label}
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={CONTROL_CLASS}
      >
        {props.children}
      </select>
    </label>
  );
}
