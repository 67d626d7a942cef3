/**
 * One vendor page of 100 users, fetched and passed through as bytes: no
 * session, no parsing, no mapping. What Roster's list route does, minus Roster.
 */
export const dynamic = "force-dynamic";

const VENDORS = {
  telnyx: { path: "/v2/organizations/users?page%5Bsize%5D=100", key: "FLOOR_TELNYX_KEY" },
  openai: { path: "/v1/organization/users?limit=100", key: "FLOOR_OPENAI_KEY" },
};

/**
 * @param {Request} _request
 * @param {{ params: Promise<{ provider: string }> }} context
 */
export async function GET(_request, { params }) {
  const { provider } = await params;
  const vendor = provider === "telnyx" || provider === "openai" ? VENDORS[provider] : undefined;
  if (!vendor) return Response.json({ error: { code: "not_found" } }, { status: 404 });
  const res = await fetch(`${process.env.FLOOR_VENDOR_URL}${vendor.path}`, {
    headers: { authorization: `Bearer ${process.env[vendor.key]}`, accept: "application/json" },
  });
  return new Response(await res.arrayBuffer(), {
    status: res.status,
    headers: { "content-type": res.headers.get("content-type") ?? "application/json" },
  });
}
