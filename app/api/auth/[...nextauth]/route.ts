import { NextRequest } from "next/server";

import { otherMethods } from "@/lib/api/route";
import { handleAuthGet, handleAuthPost, type AuthRouteContext } from "@/lib/auth/route-handlers";

/** next-auth's endpoints; POST to the credentials callback passes the sign-in throttle first. */
export function GET(request: NextRequest, context: AuthRouteContext) {
  return handleAuthGet(request, context);
}

export function POST(request: NextRequest, context: AuthRouteContext) {
  return handleAuthPost(request, context);
}

/** Methods next-auth does not take answer as on every API route: 401, or 405 for an admin. */
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
