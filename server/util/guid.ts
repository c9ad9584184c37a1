// Entra identifiers (tenant, client, object ids) are GUIDs; mamgate stores and compares them lower case.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function normaliseGuid(value: string): string {
  return value.trim().toLowerCase();
}
