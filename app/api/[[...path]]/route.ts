import { noSuchRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * `/api` itself and any `/api/...` path that no route file serves (every more
 * specific route, next-auth's `/api/auth/*` included, wins over this one):
 * 401 without a session, like every route, then 404 `not_found` in JSON.
 */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = noSuchRoute();
