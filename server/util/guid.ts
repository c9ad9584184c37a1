// Entra identifiers (tenant, client, object ids) are GUIDs; mamgate stores and compares them lower case.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function normaliseGuid(value: string): string {
  return value.trim().toLowerCase();
}

/** Auth data as stored: a GUID (an objectId) trimmed and in lower case; anything else exactly as given, so an
 * unsupported value (an email, a UPN) stays visible to the identity report instead of being silently changed. */
export function canonicalAuthData(value: string): string {
  return isGuid(value.trim()) ? normaliseGuid(value) : value;
}

/** Do two objectIds name the same Entra object? GUIDs compare without regard to letter case. */
export function sameObjectId(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && normaliseGuid(a) === normaliseGuid(b);
}
