"use client";

import { useId } from "react";

import { focusRing } from "./button";

/** A labelled on/off switch (`role="switch"`); clicking the visible label toggles it too. */
export function Switch({
  label,
  checked,
  onCheckedChange,
}: {
  label: string;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <span className="inline-flex items-center gap-2">
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        onClick={() => onCheckedChange(!checked)}
        className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors ${
          checked ? "bg-indigo-600" : "bg-zinc-300 dark:bg-zinc-600"
        } ${focusRing}`}
      >
        <span
          aria-hidden="true"
          className={`inline-block size-4 rounded-full bg-white shadow transition-transform ${
            checked ? "translate-x-4.5" : "translate-x-0.5"
          }`}
        />
      </button>
      <label
        htmlFor={id}
        className="text-sm whitespace-nowrap text-zinc-700 select-none dark:text-zinc-300"
      >
        {label}
      </label>
    </span>
  );
}
