import type { IncomingMessage, ServerResponse } from "node:http";

/** A response decided by a handler, written by the server (which adds fault and vendor headers). */
export interface Reply {
  status: number;
  /** JSON-serialized unless it is already a string. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** What the vendor handlers see of a request. */
export interface VendorRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  accept: string;
  token: { present: boolean; token: string };
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

export function serialize(reply: Reply): string {
  return typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
}

export function send(res: ServerResponse, reply: Reply, text = serialize(reply)): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(reply.status, {
    "content-type": reply.contentType ?? "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

/** The bearer token as sent: `present` is false without an Authorization header. */
export function bearerToken(req: IncomingMessage): { present: boolean; token: string } {
  const header = req.headers.authorization;
  if (header === undefined) return { present: false, token: "" };
  const match = /^Bearer\s+(.*)$/i.exec(header.trim());
  return { present: true, token: (match ? match[1] : header)?.trim() ?? "" };
}

/** Reads a request body, refusing anything over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a strict non-negative decimal integer ("007" ok; "1e3", "1.0", "-1", "" not). */
export function parseDecimal(value: string): number | null {
  if (!/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** Decodes one path segment; malformed escapes give null (a 404, not a crash). */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
