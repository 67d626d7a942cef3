"use client";

/**
 * The root layout itself failed, so none of Roster's styles are there: a plain
 * page in the system's colours, with the same words and "Try again" (`retry`:
 * fetch the page again and render it) as the page-level error. Without it
 * Next.js shows its own, larger, unbranded one.
 */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en" style={{ colorScheme: "light dark" }}>
      <body style={{ margin: 0, fontFamily: "system-ui, sans-serif" }}>
        <title>Roster</title>
        <main
          role="alert"
          style={{ display: "grid", placeItems: "center", minHeight: "100vh", textAlign: "center" }}
        >
          <div style={{ maxWidth: "28rem", padding: "1.5rem" }}>
            <h1 style={{ fontSize: "1.125rem" }}>Roster couldn’t show this page</h1>
            <p style={{ fontSize: "0.875rem", opacity: 0.75 }}>
              Something went wrong while drawing it. Trying again often helps.
            </p>
            <button
              type="button"
              onClick={retry}
              style={{ font: "inherit", padding: "0.375rem 0.75rem" }}
            >
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
