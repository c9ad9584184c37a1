// The server configuration and what GET /api/v4/config answers of it. The sections follow model.Config
// (server/public/model/config.go in mattermost/mattermost); Config.Sanitize replaces secrets with
// model.FakeSetting, always for the salts, keys and data sources and only when set for passwords and OAuth secrets.
// Plugin settings: PluginSettings.Sanitize obfuscates the settings a plugin's manifest marks `secret`, matched
// without regard to case. Plugin setting keys are kept lower-case: the System Console writes them as
// `PluginSettings.Plugins.<id>.<key.toLowerCase()>` (webapp admin_console custom plugin settings), the plugin API
// reads them lower-cased (app/plugin_api.go LoadPluginConfiguration: finalConfig[strings.ToLower(setting)]), and
// the viper-based config loader of older servers lower-cased every map key. dev-chat lower-cases them on write so
// what it answers is what a real server configured through its console answers.
import { randomBytes } from 'node:crypto';

export const FAKE_SETTING = '********************************';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export function defaultConfig(): JsonObject {
  const oauth = () => ({ Enable: false, Secret: '', Id: '', Scope: '', AuthEndpoint: '', TokenEndpoint: '', UserAPIEndpoint: '' });
  return {
    ServiceSettings: {
      SiteURL: '',
      ListenAddress: ':8065',
      EnableDeveloper: false,
      SessionLengthMobileInHours: 720,
      SessionLengthWebInHours: 720,
      EnableMultifactorAuthentication: false,
      ExtendSessionLengthWithActivity: true,
    },
    TeamSettings: { SiteName: 'Mattermost', EnableUserCreation: true },
    SqlSettings: {
      DriverName: 'postgres',
      DataSource: 'postgres://mmuser:mostest@localhost/mattermost_test?sslmode=disable',
      DataSourceReplicas: [],
      DataSourceSearchReplicas: [],
      AtRestEncryptKey: randomBytes(16).toString('hex'),
    },
    FileSettings: { DriverName: 'local', PublicLinkSalt: randomBytes(16).toString('hex'), AmazonS3SecretAccessKey: '' },
    EmailSettings: { EnableSignInWithEmail: true, EnableSignUpWithEmail: true, SMTPPassword: '' },
    LdapSettings: { Enable: false, BindUsername: '', BindPassword: '' },
    GitLabSettings: oauth(),
    GoogleSettings: oauth(),
    Office365Settings: { ...oauth(), DirectoryId: '' },
    OpenIdSettings: { ...oauth(), DiscoveryEndpoint: '', ButtonText: '', ButtonColor: '' },
    SamlSettings: { Enable: false, IdpURL: '', IdpDescriptorURL: '', IdAttribute: '', EmailAttribute: '', LoginButtonText: 'SAML' },
    IntuneSettings: { Enable: false, TenantId: '', ClientId: '', AuthService: '' },
    ElasticsearchSettings: { EnableIndexing: false, Password: '' },
    MessageExportSettings: { EnableExport: false, GlobalRelaySettings: { SMTPPassword: '' } },
    PluginSettings: { Enable: true, Plugins: {}, PluginStates: {} },
  };
}

/** JSON merge patch (RFC 7386): objects merge, anything else replaces, null removes. */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = mergePatch(out[key] as JsonObject, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

/** Lower-cases each plugin's setting keys (see the file comment). */
export function normalisePluginKeys(config: JsonObject): JsonObject {
  const plugins = (config.PluginSettings as JsonObject | undefined)?.Plugins;
  if (!isObject(plugins)) return config;
  const lowered: JsonObject = {};
  for (const [pluginId, settings] of Object.entries(plugins)) {
    lowered[pluginId] = isObject(settings)
      ? Object.fromEntries(Object.entries(settings).map(([key, value]) => [key.toLowerCase(), value]))
      : settings;
  }
  return { ...config, PluginSettings: { ...(config.PluginSettings as JsonObject), Plugins: lowered } };
}

type Path = [section: string, ...keys: string[]];
/** Replaced whatever their value (Config.Sanitize sets these unconditionally). */
const ALWAYS: Path[] = [
  ['FileSettings', 'PublicLinkSalt'],
  ['SqlSettings', 'DataSource'],
  ['SqlSettings', 'AtRestEncryptKey'],
];
/** Replaced when set. */
const WHEN_SET: Path[] = [
  ['LdapSettings', 'BindPassword'],
  ['FileSettings', 'AmazonS3SecretAccessKey'],
  ['EmailSettings', 'SMTPPassword'],
  ['GitLabSettings', 'Secret'],
  ['GoogleSettings', 'Secret'],
  ['Office365Settings', 'Secret'],
  ['OpenIdSettings', 'Secret'],
  ['ElasticsearchSettings', 'Password'],
  ['MessageExportSettings', 'GlobalRelaySettings', 'SMTPPassword'],
];

function replaceAt(config: JsonObject, path: string[], onlyWhenSet: boolean): void {
  let node: Json | undefined = config;
  for (const key of path.slice(0, -1)) node = isObject(node) ? node[key] : undefined;
  const last = path[path.length - 1]!;
  if (!isObject(node) || !(last in node)) return;
  if (onlyWhenSet && (node[last] === '' || node[last] === null)) return;
  node[last] = FAKE_SETTING;
}

/** Config.Sanitize plus PluginSettings.Sanitize with `secretPluginKeys` standing in for the manifests. */
export function sanitizeConfig(config: JsonObject, secretPluginKeys: Record<string, string[]>): JsonObject {
  const copy = structuredClone(config);
  for (const path of ALWAYS) replaceAt(copy, path, false);
  for (const path of WHEN_SET) replaceAt(copy, path, true);
  const sql = copy.SqlSettings;
  if (isObject(sql)) {
    for (const key of ['DataSourceReplicas', 'DataSourceSearchReplicas']) {
      if (Array.isArray(sql[key])) sql[key] = (sql[key] as Json[]).map(() => FAKE_SETTING);
    }
  }
  const plugins = (copy.PluginSettings as JsonObject | undefined)?.Plugins;
  if (isObject(plugins)) {
    for (const [pluginId, secretKeys] of Object.entries(secretPluginKeys)) {
      const settings = plugins[pluginId];
      if (!isObject(settings)) continue;
      const secrets = new Set(secretKeys.map((k) => k.toLowerCase()));
      for (const key of Object.keys(settings)) if (secrets.has(key.toLowerCase())) settings[key] = FAKE_SETTING;
    }
  }
  return copy;
}

export function readPath(config: JsonObject, ...path: string[]): Json | undefined {
  let node: Json | undefined = config;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node;
}
