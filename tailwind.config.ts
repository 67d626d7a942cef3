import type { Config } from "tailwindcss";

/**
 * Loaded from app/globals.css through `@config` (Tailwind 4). Dark mode follows
 * a `dark` class on <html>, which the theme toggle sets from the system
 * preference or the admin's choice.
 */
const config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  darkMode: "class",
  theme: {
    extend: {},
  },
} satisfies Config;

export default config;
