"use client";

import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";

import { Spinner } from "@/components/ui/spinner";
import { buttonClass } from "@/components/ui/button";

import { submitCredentials } from "./sign-in-request";

const inputClass =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";

export interface SignInFormProps {
  /** Already checked to be a same-origin path. */
  callbackUrl: string;
  passwordSignIn: boolean;
  singleSignOn: boolean;
  /** A message from an earlier attempt (next-auth's `?error=`), if any. */
  initialError: string | null;
}

export function SignInForm({
  callbackUrl,
  passwordSignIn,
  singleSignOn,
  initialError,
}: SignInFormProps) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);
  const password = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await submitCredentials({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
    });
    if (result.ok) {
      // A full load, so every server component renders with the new session.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(result.message);
    // The button pressed was disabled while waiting, which dropped the focus to the page: it goes
    // to the password, ready for another try.
    password.current?.focus();
    password.current?.select();
  }

  return (
    <div className="space-y-6">
      {error ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      ) : null}
      {passwordSignIn ? (
        <form onSubmit={onSubmit} className="space-y-4">
          <label className="block text-sm font-medium">
            Email
            <input
              name="email"
              type="email"
              autoComplete="username"
              required
              className={inputClass}
            />
          </label>
          <label className="block text-sm font-medium">
            Password
            <input
              ref={password}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className={inputClass}
            />
          </label>
          <button type="submit" disabled={pending} className={`${buttonClass.primary} w-full py-2`}>
            {pending ? <Spinner /> : null}
            Sign in
          </button>
        </form>
      ) : null}
      {singleSignOn ? (
        <button
          type="button"
          disabled={pending}
          onClick={() => {
            setPending(true);
            void signIn("oidc", { callbackUrl });
          }}
          className={`${buttonClass.secondary} w-full py-2`}
        >
          Sign in with single sign-on
        </button>
      ) : null}
    </div>
  );
}
