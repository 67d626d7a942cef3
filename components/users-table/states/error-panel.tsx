import { buttonClass } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons/alert";
import { Spinner } from "@/components/ui/spinner";
import { UsersApiError } from "@/lib/query/users-api";

/** The first page failed: the API's own message, and a way to try again (or sign in again). */
export function ErrorPanel({
  error,
  retrying,
  onRetry,
}: {
  error: Error;
  retrying: boolean;
  onRetry: () => void;
}) {
  const code = error instanceof UsersApiError ? error.code : null;
  return (
    <div className="flex flex-1 items-start justify-center px-6 py-16">
      <div
        role="alert"
        className="w-full max-w-lg rounded-lg border border-red-200 bg-red-50 p-5 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
      >
        <div className="flex items-start gap-3">
          <AlertIcon className="mt-0.5 size-5 shrink-0 text-red-600 dark:text-red-400" />
          <div className="min-w-0 space-y-3">
            <h2 className="font-semibold">Couldn’t load users</h2>
            <p className="text-sm break-words">{error.message}</p>
            {code && (
              <p className="font-mono text-xs text-red-800/80 dark:text-red-200/80">
                Code: <span data-testid="error-code">{code}</span>
              </p>
            )}
            <div className="flex items-center gap-3">
              {code === "unauthenticated" ? (
                <a href="/signin" className={buttonClass.primary}>
                  Sign in again
                </a>
              ) : (
                <button type="button" className={buttonClass.secondary} onClick={onRetry}>
                  {retrying && <Spinner />}
                  Try again
                </button>
              )}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
