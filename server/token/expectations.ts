// What a token must say, derived once per verification from the settings and the authority. The checks compare the
// token against this and nothing else, so the rules below are the whole policy.
import { effectiveIntuneScope, type Settings, tunnelConfigured } from '../settings/model.ts';
import { isGuid, normaliseGuid } from '../util/guid.ts';
import { notConfigured } from './refusal.ts';

export type TokenVersion = '1.0' | '2.0';

/** The Intune MAM service resource (seed's server permission) and its first-party app id (reference §2). */
export const MAM_SERVICE_RESOURCE = 'https://msmamservice.api.application';
export const MAM_SERVICE_APP_ID = '0a5f63c0-b750-4f38-a71c-4fc0d58b89e2';
/** Personal Microsoft accounts (MSA) sign in under this tenant; they are never work identities (§7.4). */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

const MICROSOFT_AUTHORITY_HOST = 'login.microsoftonline.com';

export interface Expectations {
  tenantId: string;
  clientId: string;
  scope: string;
  /** The part of IntuneScope before the last "/". */
  resource: string;
  /** The permission word scp must contain; undefined for {resource}/.default. */
  permission: string | undefined;
  acceptedVersions: readonly TokenVersion[];
  /** The exact iss a token of this version must carry. */
  issuer: Record<TokenVersion, string>;
  /** The aud values a token of this version may carry, lower case. */
  audiences: Record<TokenVersion, readonly string[]>;
  /** azp (v2) / appid (v1) values allowed, lower case. */
  allowedClientIds: ReadonlySet<string>;
  /** Where the signing keys for each version live: always the configured tenant, never the token's. */
  jwksUrl: Record<TokenVersion, string>;
}

function isAppIdUri(resource: string): boolean {
  return /^(?:api|https):\/\//i.test(resource);
}

/**
 * v1 rule: Entra chooses the token version from the resource's manifest (accessTokenAcceptedVersion), not from the
 * endpoint the client used. A resource addressed by an App ID URI (api://… or https://…) may be one that issues v1
 * tokens — Microsoft first-party resources such as msmamservice do, and so does an API registration left at the
 * manifest default (null → v1), as Mattermost's own server accepts. So v1 is accepted only for App ID URI
 * resources; a resource named by its bare client GUID is v2-only (§7.3: v1 where v2 is expected is refused).
 */
function acceptedVersionsFor(resource: string): TokenVersion[] {
  return isAppIdUri(resource) ? ['2.0', '1.0'] : ['2.0'];
}

/**
 * aud rule: a v2 token's aud is always the resource's client GUID, never a URI ([ACR]); a v1 token carries the App
 * ID URI the client asked for (with or without a trailing slash) or the GUID (optional claim aud use_guid).
 * - api://…, https://… (the chat server's own API): v2 → ClientId; v1 → that App ID URI or ClientId.
 * - https://msmamservice.api.application: v2 → its app id 0a5f63c0-…; v1 → the resource URI or that app id.
 * - a bare GUID resource: that GUID (v2 only, above).
 * A Graph or any other audience is never accepted (§7.6, confused deputy).
 */
function audiencesFor(resource: string, clientId: string): Record<TokenVersion, string[]> {
  const uri = resource.toLowerCase();
  if (uri === MAM_SERVICE_RESOURCE) {
    return { '2.0': [MAM_SERVICE_APP_ID], '1.0': [uri, `${uri}/`, MAM_SERVICE_APP_ID] };
  }
  if (isAppIdUri(resource)) return { '2.0': [clientId], '1.0': [uri, `${uri}/`, clientId] };
  const guid = normaliseGuid(resource);
  return { '2.0': [guid], '1.0': [guid] };
}

/**
 * Issuer rule: v2 iss is `{authority}/{tid}/v2.0`, so it follows MAMGATE_ENTRA_AUTHORITY (sovereign clouds, the dev
 * issuer). v1 iss is `https://sts.windows.net/{tid}/` when the authority is Microsoft's public cloud (v1 tokens are
 * issued under that host whatever the authority's host), and `{authority}/{tid}/` for any other authority, so a
 * development issuer can mint v1 tokens too. Sovereign-cloud v1 issuers are not mapped (see the report).
 */
function issuersFor(authority: string, tenantId: string): Record<TokenVersion, string> {
  const microsoft = new URL(authority).host.toLowerCase() === MICROSOFT_AUTHORITY_HOST;
  return {
    '2.0': `${authority}/${tenantId}/v2.0`,
    '1.0': microsoft ? `https://sts.windows.net/${tenantId}/` : `${authority}/${tenantId}/`,
  };
}

function allowedClients(settings: Settings): Set<string> {
  const ids = settings.IntuneSettings.AllowedClientIds.map(normaliseGuid);
  const tunnel = normaliseGuid(settings.IntuneSettings.TunnelClientId);
  // The tunnel-enabled client is a MAM client only in tunnel mode (seed 000); otherwise it is just another app.
  if (tunnel && tunnelConfigured(settings.TunnelSettings)) ids.push(tunnel);
  return new Set(ids.filter(isGuid));
}

export function normaliseAuthority(authority: string): string {
  return authority.trim().replace(/\/+$/, '');
}

export function expectationsFor(settings: Settings, authority: string): Expectations {
  const intune = settings.IntuneSettings;
  const tenantId = normaliseGuid(intune.TenantId);
  const clientId = normaliseGuid(intune.ClientId);
  // The login route refuses unconfigured settings first; this guards the verifier's own assumptions.
  if (!isGuid(tenantId)) throw notConfigured('IntuneSettings.TenantId is not a GUID');
  if (!isGuid(clientId)) throw notConfigured('IntuneSettings.ClientId is not a GUID');
  const scope = effectiveIntuneScope(intune);
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || slash === scope.length - 1) throw notConfigured('IntuneSettings.IntuneScope has no {resource}/{permission} form');
  const resource = scope.slice(0, slash);
  const word = scope.slice(slash + 1);
  return {
    tenantId,
    clientId,
    scope,
    resource,
    permission: word === '.default' ? undefined : word,
    acceptedVersions: acceptedVersionsFor(resource),
    issuer: issuersFor(authority, tenantId),
    audiences: audiencesFor(resource, clientId),
    allowedClientIds: allowedClients(settings),
    jwksUrl: {
      '2.0': `${authority}/${tenantId}/discovery/v2.0/keys`,
      '1.0': `${authority}/${tenantId}/discovery/keys`,
    },
  };
}
