import "server-only";

export { serverEnv, type Env } from "./env.mjs";
