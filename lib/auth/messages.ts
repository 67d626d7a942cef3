/**
 * What admins read when next-auth sends them back with `?error=CODE`. Codes
 * come from the URL, so anything unknown gets a generic line rather than
 * being echoed.
 */

const SIGN_IN_ERRORS: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  SessionRequired: "Sign in to continue.",
  OAuthSignin: "Single sign-on could not start. Try again.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  Callback: "Single sign-on did not complete. Try again.",
};

export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return SIGN_IN_ERRORS[code] ?? "Sign-in did not work. Try again.";
}

export interface AuthErrorCopy {
  title: string;
  message: string;
}

export function authErrorCopy(code: string | undefined): AuthErrorCopy {
  switch (code) {
    case "AccessDenied":
      return {
        title: "Access denied",
        message:
          "This account is not allowed into Roster. Ask an admin to add your email address or your email domain to the allowlist.",
      };
    case "Configuration":
      return {
        title: "Sign-in is not set up correctly",
        message: "Roster's sign-in configuration has a problem. The server log says what it is.",
      };
    default:
      return {
        title: "Sign-in failed",
        message: "Something went wrong while signing you in. Try again.",
      };
  }
}
