// Labels, placeholders, help texts and options come from plugin.json's settings_schema: the one description of
// the settings, which the System Console draws too (the texts match Mattermost's console for the core keys).
import manifest from '../../../plugin.json';

export interface SchemaSetting {
  key: string;
  display_name: string;
  type: string;
  help_text: string;
  placeholder?: string;
  default?: unknown;
  options?: { display_name: string; value: string }[];
  secret?: boolean;
}

const settings = new Map<string, SchemaSetting>(
  (manifest.settings_schema.settings as SchemaSetting[]).map((setting) => [setting.key, setting]),
);

export function schemaOf(key: string): SchemaSetting {
  const setting = settings.get(key);
  if (!setting) throw new Error(`plugin.json has no setting ${key}`);
  return setting;
}

/** "Tenant ID:" → "Tenant ID" for sentences and error summaries. */
export function plainLabel(key: string): string {
  return schemaOf(key).display_name.replace(/:\s*$/, '');
}

export const DOCS_URL = 'https://docs.mattermost.com/deployment-guide/mobile/configure-microsoft-intune-mam.html';
