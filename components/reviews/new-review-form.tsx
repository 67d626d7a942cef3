"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { buttonClass } from "@/components/ui/button";
import {
  ACCOUNT_FLAGS,
  FLAG_LABELS,
  type CreateReview,
  type ReviewSummary,
} from "@/lib/reviews/schema";
import { PROVIDER_IDS, PROVIDER_LABELS, USER_STATUSES } from "@/lib/users/contract";

import { apiJson } from "./api";

const input =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** Starts a review: name, due date and scope; the server freezes the accounts at once. */
export function NewReviewForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [noVendor, setNoVendor] = useState(false);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    const list = (name: string) => form.getAll(name).map(String);
    const roles = String(form.get("roles") ?? "")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    const email = String(form.get("email") ?? "").trim();
    // Said next to the vendors, in words, before asking the server.
    if (list("providers").length === 0) {
      setNoVendor(true);
      setError(null);
      return;
    }
    setNoVendor(false);
    const body: CreateReview = {
      name: String(form.get("name") ?? ""),
      dueDate: String(form.get("dueDate") ?? ""),
      scope: {
        providers: list("providers") as CreateReview["scope"]["providers"],
        ...(list("statuses").length ? { statuses: list("statuses") as never } : {}),
        ...(roles.length ? { roles } : {}),
        ...(email ? { email } : {}),
        ...(list("flags").length ? { flags: list("flags") as never } : {}),
      },
    };
    setPending(true);
    setError(null);
    try {
      const review = await apiJson<ReviewSummary>("/api/reviews", { method: "POST", body });
      router.push(`/reviews/${review.id}`);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-review-heading"
      className="grid max-w-5xl gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 id="new-review-heading" className="text-base font-semibold">
        Start a review
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="grid gap-1 text-sm">
          Name
          <input name="name" required maxLength={200} className={input} />
        </label>
        <label className="grid gap-1 text-sm">
          Due date
          <input name="dueDate" type="date" required className={input} />
        </label>
      </div>
      <fieldset
        className="flex flex-wrap gap-4 text-sm"
        aria-describedby={noVendor ? "new-review-vendors-error" : undefined}
      >
        <legend className="mb-1 font-medium">Vendors</legend>
        {PROVIDER_IDS.map((p) => (
          <label key={p} className="flex items-center gap-1.5">
            <input type="checkbox" name="providers" value={p} /> {PROVIDER_LABELS[p]}
          </label>
        ))}
        {noVendor && (
          <p
            id="new-review-vendors-error"
            role="alert"
            className="w-full text-red-700 dark:text-red-400"
          >
            Pick at least one vendor.
          </p>
        )}
      </fieldset>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 font-medium">Status (none: all)</legend>
        {USER_STATUSES.map((s) => (
          <label key={s} className="flex items-center gap-1.5">
            <input type="checkbox" name="statuses" value={s} /> {s}
          </label>
        ))}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="grid gap-1 text-sm">
          Roles (comma-separated, optional)
          <input name="roles" placeholder="owner" className={input} />
        </label>
        <label className="grid gap-1 text-sm">
          Email contains (optional)
          <input name="email" maxLength={254} className={input} />
        </label>
      </div>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="mb-1 font-medium">Only accounts flagged (all of)</legend>
        {ACCOUNT_FLAGS.map((f) => (
          <label key={f} className="flex items-center gap-1.5">
            <input type="checkbox" name="flags" value={f} /> {FLAG_LABELS[f]}
          </label>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <div>
        {/* Not disabled while pending: a disabled button drops the keyboard focus to the page,
            and an error would then be read with the focus nowhere. */}
        <button
          type="submit"
          aria-disabled={pending || undefined}
          className={`${buttonClass.primary} aria-disabled:opacity-60`}
        >
          {pending ? "Starting…" : "Start review"}
        </button>
      </div>
    </form>
  );
}
