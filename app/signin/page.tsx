import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { SignInForm } from "@/components/auth/sign-in-form";
import { Brand } from "@/components/nav/brand";
import { signInCallbackUrl } from "@/lib/auth/callback-url";
import { signInMethods } from "@/lib/auth/config-check.mjs";
import { signInErrorMessage } from "@/lib/auth/messages";
import { getPageSession } from "@/lib/auth/page-session";
import { serverEnv } from "@/lib/server-env";

export const metadata: Metadata = { title: "Sign in · Roster" };

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const params = await searchParams;
  const env = serverEnv();
  const callbackUrl = signInCallbackUrl(first(params.callbackUrl), env.NEXTAUTH_URL);
  if (await getPageSession()) redirect(callbackUrl);
  const methods = signInMethods(env);

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6 rounded-lg border border-zinc-200 p-8 shadow-sm dark:border-zinc-800">
        <Brand />
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold">Sign in to Roster</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            For admins of your vendor accounts.
          </p>
        </div>
        {methods.credentials || methods.oidc ? (
          <SignInForm
            callbackUrl={callbackUrl}
            passwordSignIn={methods.credentials}
            singleSignOn={methods.oidc}
            initialError={signInErrorMessage(first(params.error))}
          />
        ) : (
          <p role="alert" className="text-sm">
            No way to sign in is configured. Set <code>ROSTER_ADMINS</code> (see{" "}
            <code>npm run hash-password</code>) or the <code>OIDC_*</code> variables, then restart
            Roster.
          </p>
        )}
      </div>
    </main>
  );
}
