import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { startMockOidcProvider, type MockOidcProvider } from "@/testing/mock-oidc-provider";

import type { OidcDiscovery } from "./oidc-discovery";

const CLIENT = { clientId: "roster", clientSecret: "shh", redirectUri: "http://rp/cb" };

let provider: MockOidcProvider;

beforeEach(async () => {
  provider = await startMockOidcProvider(CLIENT);
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await provider.close();
});

/** A fresh module: its cache starts empty. */
async function freshModule() {
  vi.resetModules();
  return import("./oidc-discovery");
}

describe("discoverOidc", () => {
  it("fetches the document once for every sign-in within ten minutes, then again", async () => {
    const { discoverOidc, DISCOVERY_TTL_MS } = await freshModule();
    const document = await discoverOidc(`${provider.issuer}/`);
    expect(document).toMatchObject({
      issuer: provider.issuer,
      authorization_endpoint: `${provider.issuer}/authorize`,
      token_endpoint: `${provider.issuer}/token`,
      userinfo_endpoint: `${provider.issuer}/userinfo`,
      jwks_uri: `${provider.issuer}/jwks`,
    });
    expect(await discoverOidc(provider.issuer)).toEqual(document);
    expect(await discoverOidc(provider.issuer)).toEqual(document);
    expect(provider.discoveryRequests).toBe(1);

    vi.useFakeTimers({ now: Date.now() + DISCOVERY_TTL_MS + 1, toFake: ["Date"] });
    expect(await discoverOidc(provider.issuer)).toEqual(document);
    expect(provider.discoveryRequests).toBe(2);
  });

  it("shares one fetch between sign-ins that arrive together", async () => {
    const { discoverOidc } = await freshModule();
    const documents = await Promise.all([1, 2, 3].map(() => discoverOidc(provider.issuer)));
    expect(documents.every((document) => document?.issuer === provider.issuer)).toBe(true);
    expect(provider.discoveryRequests).toBe(1);
  });

  it("keeps no failure: the next sign-in asks again", async () => {
    const { discoverOidc } = await freshModule();
    provider.failDiscovery(true);
    expect(await discoverOidc(provider.issuer)).toBeNull();
    expect(await discoverOidc(provider.issuer)).toBeNull();
    expect(provider.discoveryRequests).toBe(2);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("HTTP 503"));

    provider.failDiscovery(false);
    expect(await discoverOidc(provider.issuer)).toMatchObject({ issuer: provider.issuer });
    expect(await discoverOidc(provider.issuer)).toMatchObject({ issuer: provider.issuer });
    expect(provider.discoveryRequests).toBe(3);
  });

  it("reads nothing from a provider that is not there or a document without endpoints", async () => {
    const { discoverOidc } = await freshModule();
    const { issuer } = provider;
    await provider.close();
    provider = await startMockOidcProvider(CLIENT);
    expect(await discoverOidc(issuer)).toBeNull();
    vi.spyOn(globalThis, "fetch").mockResolvedValue(Response.json({ issuer }));
    expect(await discoverOidc(issuer)).toBeNull();
    expect(console.warn).toHaveBeenLastCalledWith(
      expect.stringContaining("not a usable discovery document"),
    );
  });
});

describe("standing in for discovery", () => {
  const document: OidcDiscovery = {
    issuer: "https://id.example.com",
    authorization_endpoint: "https://id.example.com/authorize",
    token_endpoint: "https://id.example.com/token",
    jwks_uri: "https://id.example.com/jwks",
  };

  it("is done unless openid-client would check what it cannot know without discovering", async () => {
    const { canSkipDiscovery } = await freshModule();
    expect(canSkipDiscovery(document, null)).toBe(true);
    expect(canSkipDiscovery(document, new URLSearchParams("code=c&state=s"))).toBe(true);
    // RFC 9207: a provider that promises `iss` in its answers; one without it is refused.
    const promising = { ...document, authorization_response_iss_parameter_supported: true };
    expect(canSkipDiscovery(promising, null)).toBe(true);
    expect(canSkipDiscovery(promising, new URLSearchParams("code=c&state=s&iss=x"))).toBe(true);
    expect(canSkipDiscovery(promising, new URLSearchParams("code=c&state=s"))).toBe(false);
    // Multi-tenant Entra ID: the expected issuer depends on the token's tenant.
    const common = { ...document, issuer: "https://login.microsoftonline.com/{tenantid}/v2.0" };
    expect(canSkipDiscovery(common, null)).toBe(false);
  });

  it("authenticates the client as openid-client would choose from the document", async () => {
    const { tokenEndpointAuthMethod } = await freshModule();
    expect(tokenEndpointAuthMethod(document)).toBe("client_secret_basic");
    const methods = (list: string[]) =>
      tokenEndpointAuthMethod({ ...document, token_endpoint_auth_methods_supported: list });
    expect(methods(["client_secret_basic", "client_secret_post"])).toBe("client_secret_basic");
    expect(methods(["client_secret_post", "private_key_jwt"])).toBe("client_secret_post");
    expect(methods(["private_key_jwt"])).toBe("client_secret_basic");
  });
});
