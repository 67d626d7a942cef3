export const CREDENTIALS_PROVIDER_ID = "credentials";
export const OIDC_PROVIDER_ID = "oidc";
