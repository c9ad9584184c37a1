// The client configuration (GET /api/v4/config/client?format=old and the config_changed event), after
// config.GenerateLimitedClientConfig / GenerateClientConfig (server/config/client.go in mattermost/mattermost):
// a flat map of strings; callers without a session get the limited map. Only the keys a mobile sign-in reads are
// produced. The Intune keys follow the cases of server/config/client_test.go (Mattermost 11.3+): they exist only
// under an Enterprise Advanced license ("advanced"); IntuneMAMEnabled is "true" when IntuneSettings has Enable,
// TenantId, ClientId and AuthService, and then IntuneScope is api://<ClientId>/login.mattermost and
// IntuneAuthService the configured service; otherwise only IntuneMAMEnabled "false" is present.
import { createHash } from 'node:crypto';
import { type JsonObject, readPath } from './chat-config.ts';
import type { ChatLicense } from './chat-license.ts';

export interface ServerVersion {
  version: string;
  buildNumber: string;
}

const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function clientConfig(config: JsonObject, license: ChatLicense | null, build: ServerVersion, full: boolean): Record<string, string> {
  const at = (...path: string[]) => readPath(config, ...path);
  const props: Record<string, string> = {
    Version: build.version,
    BuildNumber: build.buildNumber,
    BuildDate: '',
    BuildHash: 'dev-chat',
    BuildHashEnterprise: 'none',
    BuildEnterpriseReady: 'true',
    SiteURL: str(at('ServiceSettings', 'SiteURL')).replace(/\/+$/, ''),
    SiteName: str(at('TeamSettings', 'SiteName')),
    DiagnosticId: 'dev-chat',
    TelemetryId: 'dev-chat',
    EnableSignInWithEmail: str(at('EmailSettings', 'EnableSignInWithEmail')),
    EnableSignUpWithEmail: str(at('EmailSettings', 'EnableSignUpWithEmail')),
    EnableSignUpWithGitLab: str(at('GitLabSettings', 'Enable')),
    EnableMultifactorAuthentication: str(at('ServiceSettings', 'EnableMultifactorAuthentication')),
    PluginsEnabled: str(at('PluginSettings', 'Enable')),
    // Licensed options default to off and are filled in below when the license carries the feature.
    EnableSaml: 'false',
    EnableSignUpWithGoogle: 'false',
    EnableSignUpWithOffice365: 'false',
    EnableSignUpWithOpenId: 'false',
  };
  if (license) {
    if (license.Features.SAML) props.EnableSaml = str(at('SamlSettings', 'Enable'));
    if (license.Features.GoogleOAuth) props.EnableSignUpWithGoogle = str(at('GoogleSettings', 'Enable'));
    if (license.Features.Office365OAuth) props.EnableSignUpWithOffice365 = str(at('Office365Settings', 'Enable'));
    if (license.Features.OpenId) props.EnableSignUpWithOpenId = str(at('OpenIdSettings', 'Enable'));
    if (license.SkuShortName === 'advanced') Object.assign(props, intuneProps(config));
  }
  if (full) {
    props.ExtendSessionLengthWithActivity = str(at('ServiceSettings', 'ExtendSessionLengthWithActivity'));
    props.EnableDeveloper = str(at('ServiceSettings', 'EnableDeveloper'));
  }
  return props;
}

function intuneProps(config: JsonObject): Record<string, string> {
  const enable = readPath(config, 'IntuneSettings', 'Enable') === true;
  const tenantId = str(readPath(config, 'IntuneSettings', 'TenantId'));
  const clientId = str(readPath(config, 'IntuneSettings', 'ClientId'));
  const authService = str(readPath(config, 'IntuneSettings', 'AuthService'));
  if (!(enable && tenantId && clientId && authService)) return { IntuneMAMEnabled: 'false' };
  return { IntuneMAMEnabled: 'true', IntuneScope: `api://${clientId}/login.mattermost`, IntuneAuthService: authService };
}

/** ClientConfigHash: part of X-Version-Id and the hello event's server_version, changing with the config. */
export function clientConfigHash(props: Record<string, string>): string {
  return createHash('md5').update(JSON.stringify(props)).digest('hex');
}
