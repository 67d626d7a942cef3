// @ts-check
/**
 * Roster's security headers, in one place. Plain JavaScript because both
 * `next.config.mjs` (headers baked into every response, static files included)
 * and `proxy.ts` (the per-request Content-Security-Policy with a nonce) use it.
 */

/**
 * Powerful browser features Roster never uses, all switched off. Only names
 * Chromium knows, so the console stays free of "unrecognized feature" noise.
 */
const DISABLED_FEATURES = [
  "accelerometer",
  "autoplay",
  "browsing-topics",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "publickey-credentials-get",
  "serial",
  "usb",
  "xr-spatial-tracking",
];

/** Two years, the HSTS preload list's minimum. */
const HSTS_MAX_AGE = 63_072_000;

/**
 * Headers every response carries: pages, API responses, static files.
 * @param {{ production: boolean }} options
 * @returns {{ key: string; value: string }[]}
 */
export function baseSecurityHeaders({ production }) {
  const headers = [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    {
      key: "Permissions-Policy",
      value: DISABLED_FEATURES.map((feature) => `${feature}=()`).join(", "),
    },
    // For browsers that predate CSP's frame-ancestors.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
  if (production) {
    headers.push({
      key: "Strict-Transport-Security",
      value: `max-age=${HSTS_MAX_AGE}; includeSubDomains`,
    });
  }
  return headers;
}

/**
 * The policy for anything that is not an HTML page (JSON, CSV, static files):
 * nothing may load from it and nobody may frame it.
 */
export const NON_DOCUMENT_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The policy for HTML pages. Scripts run only with this response's nonce
 * (Next.js adds it to its own scripts when it finds it in the request's CSP);
 * `'strict-dynamic'` lets those scripts load the app's chunks. Development
 * adds `'unsafe-eval'` (React's dev tooling needs it) and inline styles for the
 * error overlay; production has neither.
 * @param {{ nonce: string; development: boolean; https: boolean }} options
 * @returns {string}
 */
export function pageContentSecurityPolicy({ nonce, development, https }) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // React sets some styles as attributes in server-rendered HTML (sizes, virtual rows).
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** A fresh, unguessable nonce for one response. */
export function createNonce() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}
