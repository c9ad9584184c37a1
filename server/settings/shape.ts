// The shape of a settings document as sent by an admin: types only. The rules that need more than a type
// (GUIDs, providers, identity attributes) live in rules.ts so they can keep Mattermost's ids and order.
import { z } from 'zod';
import { type Settings, type SectionName, defaultSettings, SECTION_NAMES } from './model.ts';
import { zodToAppError } from '../util/zod-error.ts';

const text = z.string().max(4096);
const textList = z.array(text).max(500);

const sectionShapes = {
  ChatServerSettings: z.strictObject({ Url: text, AdminToken: text }),
  IntuneSettings: z.strictObject({
    Enable: z.boolean(),
    TenantId: text,
    ClientId: text,
    AuthService: text,
    IdAttribute: text,
    IntuneScope: text,
    AllowedClientIds: textList,
    TunnelClientId: text,
    EnableUserCreation: z.boolean(),
    EnrollmentEvidence: text,
    MobileAppIds: textList,
    MaxSyncAgeHours: z.number().int().min(1).max(720),
    AndroidPolicy: text,
  }),
  GraphSettings: z.strictObject({ Enable: z.boolean(), ClientId: text, ClientSecret: text }),
  Office365Settings: z.strictObject({ Enable: z.boolean() }),
  SamlSettings: z.strictObject({
    Enable: z.boolean(),
    IdpEntityId: text,
    IdpUrl: text,
    IdpCertificates: z.array(z.string().max(16384)).max(10),
    SpEntityId: text,
    AssertionConsumerServiceURL: text,
    IdAttribute: text,
    EmailAttribute: text,
    UsernameAttribute: text,
  }),
  LdapSettings: z.strictObject({
    Enable: z.boolean(),
    Url: text,
    BindDn: text,
    BindPassword: text,
    BaseDn: text,
    UserFilter: text,
    IdAttribute: text,
    EmailAttribute: text,
    UsernameAttribute: text,
    SyncIntervalMinutes: z.number().int().min(0).max(10080),
    FullSyncIntervalHours: z.number().int().min(0).max(8760),
  }),
  TunnelSettings: z.strictObject({
    ConnectionType: text,
    ConnectionName: text,
    SiteId: text,
    ServerAddress: text,
    TrustedRootCertificates: z.string().max(65536),
    ProxyPacUrl: text,
    ProxyAddress: text,
    ProxyPort: z.number().int().min(0).max(65535),
    BypassedUrls: textList,
  }),
} satisfies Record<SectionName, z.ZodType>;

/** A whole settings document, every section and key present: what the admin API answers (secrets masked). */
export const settingsShape = z.strictObject(sectionShapes);

/** Every section optional, every key in a section optional (a missing key takes its default). */
export const settingsUpdateShape = z.strictObject(
  Object.fromEntries(SECTION_NAMES.map((name) => [name, sectionShapes[name].partial().optional()])) as {
    [K in SectionName]: z.ZodOptional<ReturnType<(typeof sectionShapes)[K]['partial']>>;
  },
);

export type SettingsUpdate = { [K in SectionName]?: Partial<Settings[K]> };

/** Parses an admin's settings document; throws an AppError naming every field of the wrong type. */
export function parseSettingsUpdate(input: unknown): SettingsUpdate {
  const result = settingsUpdateShape.safeParse(input);
  if (!result.success) throw zodToAppError(result.error, 'mamgate.request.invalid_body_param.app_error');
  return result.data as SettingsUpdate;
}

// Built once: zod compiles a schema on first use, and building one per read showed up in sign-in profiles.
const storedSectionShapes = Object.fromEntries(SECTION_NAMES.map((name) => [name, sectionShapes[name].partial().strip()])) as unknown as Record<
  SectionName,
  z.ZodType
>;

/** A stored document read back: unknown keys are dropped and missing ones defaulted, so old rows still load. */
export function completeSettings(stored: unknown): Settings {
  const defaults = defaultSettings();
  const source = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const out = defaults as unknown as Record<string, Record<string, unknown>>;
  for (const name of SECTION_NAMES) {
    const section = source[name];
    if (!section || typeof section !== 'object') continue;
    const parsed = storedSectionShapes[name].safeParse(section);
    if (parsed.success) Object.assign(out[name]!, parsed.data);
  }
  return defaults;
}
