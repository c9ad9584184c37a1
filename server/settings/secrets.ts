// Write-only settings: answered masked, and a masked value sent back keeps the stored secret.
import type { Settings } from './model.ts';

export const MASKED_SECRET = '********************************';

/** Section and key of every secret setting. */
export const SECRET_SETTINGS = [['LdapSettings', 'BindPassword']] as const;

export function maskSecrets(settings: Settings): Settings {
  const copy = structuredClone(settings);
  for (const [section, key] of SECRET_SETTINGS) {
    if (copy[section][key]) copy[section][key] = MASKED_SECRET;
  }
  return copy;
}

/** The secret values of a settings document, for tests and log redaction checks. */
export function secretValues(settings: Settings): string[] {
  return SECRET_SETTINGS.map(([section, key]) => settings[section][key]).filter((v) => v !== '');
}
