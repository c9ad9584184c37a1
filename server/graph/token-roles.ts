// The application permissions an app token carries (its roles claim). Decoded without verifying the signature on
// purpose: the token is our own, just received from the Entra token endpoint over TLS, and is only read to tell the
// operator which permissions are granted; Graph itself verifies it on every call.
export function rolesOf(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) return [];
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [];
  }
}
