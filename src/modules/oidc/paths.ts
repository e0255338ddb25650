/** Where the provider is mounted; the issuer is `${config.publicUrl}${OIDC_PREFIX}`. */
export const OIDC_PREFIX = '/oidc';
