import { NextRequest } from "next/server";

import { handleAuthGet, handleAuthPost, type AuthRouteContext } from "@/lib/auth/route-handlers";

/** next-auth's endpoints; POST to the credentials callback passes the sign-in throttle first. */
export function GET(request: NextRequest, context: AuthRouteContext) {
  return handleAuthGet(request, context);
}

export function POST(request: NextRequest, context: AuthRouteContext) {
  return handleAuthPost(request, context);
}
