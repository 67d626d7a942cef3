import type { Metadata } from "next";
import Link from "next/link";

import { Brand } from "@/components/nav/brand";
import { buttonClass } from "@/components/ui/button";
import { authErrorCopy } from "@/lib/auth/messages";

export const metadata: Metadata = { title: "Sign-in problem · Roster" };

/** Where next-auth sends sign-ins it refuses: SSO accounts off the allowlist, configuration errors. */
export default async function AuthErrorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { error } = await searchParams;
  const copy = authErrorCopy(Array.isArray(error) ? error[0] : error);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-4 rounded-lg border border-zinc-200 p-8 shadow-sm dark:border-zinc-800">
        <Brand />
        <h1 className="text-2xl font-semibold">{copy.title}</h1>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{copy.message}</p>
        <Link href="/signin" className={buttonClass.secondary}>
          Back to sign-in
        </Link>
      </div>
    </main>
  );
}
