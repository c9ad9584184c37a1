// Validation rules, in Mattermost's order (IntuneSettings.IsValid, then Config.IsValid's provider cross-check),
// followed by mamgate's own. Each field yields at most one error; the first error leads the answer.
import { X509Certificate } from 'node:crypto';
import type { FieldError } from '../errors/app-error.ts';
import { isGuid } from '../util/guid.ts';
import { parseAddress } from '../values/ip.ts';
import { isHostName, isHttpUrl, parseServerAddress, parseTrustedRoots } from '../values/parsers.ts';
import { ANDROID_POLICIES, AUTH_SERVICES, ENROLLMENT_EVIDENCE_SOURCES, type Settings, LDAP_OBJECT_ID_ATTRIBUTE, SAML_OBJECT_ID_CLAIM, tunnelConfigured } from './model.ts';

/** The seed's "Supported Identity Attributes" table: what each unsupported IdAttribute does. */
const INTUNE_ID_ATTRIBUTE_RESULTS: Record<string, string> = {
  email: 'enrollment fails (email is mutable and is not the Entra objectId)',
  preferred_username: 'identity mismatch (preferred_username changes over time)',
  upn: 'identity mismatch (the UPN changes over time)',
  objectguid: 'breaks mobile authentication (objectGUID is the directory object, not the Entra objectId)',
};
const CUSTOM_ATTRIBUTE_RESULT = 'unsupported by Intune (custom attributes are not the Entra objectId)';

const SAML_ID_ATTRIBUTE_RESULTS: Record<string, string> = {
  email: 'enrollment fails (email is mutable and is not the Entra objectId)',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress':
    'enrollment fails (email is mutable and is not the Entra objectId)',
  upn: 'identity mismatch (the UPN changes over time)',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': 'identity mismatch (the UPN changes over time)',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'identity mismatch (the UPN changes over time)',
  immutableid: 'unsupported by Intune (immutableID is the on-premises anchor, not the Entra objectId)',
  nameid: 'unsupported by Intune (the default NameID is pairwise and opaque, not the Entra objectId)',
};

const LDAP_ID_ATTRIBUTE_RESULTS: Record<string, string> = {
  objectguid:
    'breaks mobile authentication (objectGUID identifies the object in the managed domain, never the Entra objectId)',
  mail: 'enrollment fails (mail is mutable and is not the Entra objectId)',
  userprincipalname: 'identity mismatch (the UPN changes over time)',
};

// {resource}/{permission} or {resource}/.default, where resource is api://…, https://… or a bare client GUID.
const SCOPE = /^(?:(?:api|https):\/\/[^\s/]+(?:\/[^\s/]+)*|[0-9a-fA-F-]{36})\/(?:\.default|[A-Za-z0-9_.-]+)$/;

type Rule = (s: Settings) => FieldError | undefined;

/** An absolute http(s) URL a browser can post to: no credentials, query or fragment. */
function isAcsUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return !url.username && !url.password && !url.search && !url.hash && !value.includes('#');
}

function uuidRule(field: 'TenantId' | 'ClientId', emptyId: FieldError['id'], formatId: FieldError['id']): Rule {
  return (s) => {
    const value = s.IntuneSettings[field];
    const path = `IntuneSettings.${field}`;
    if (!value) return { id: emptyId, field: path };
    if (!isGuid(value)) return { id: formatId, field: path, params: { Value: value } };
    return undefined;
  };
}

const intuneRules: Rule[] = [
  uuidRule(
    'TenantId',
    'model.config.is_valid.intune_tenant_id.app_error',
    'model.config.is_valid.intune_tenant_id_format.app_error',
  ),
  uuidRule(
    'ClientId',
    'model.config.is_valid.intune_client_id.app_error',
    'model.config.is_valid.intune_client_id_format.app_error',
  ),
  (s) => {
    const value = s.IntuneSettings.AuthService;
    const field = 'IntuneSettings.AuthService';
    if (!value) return { id: 'model.config.is_valid.intune_auth_service.app_error', field };
    if (!(AUTH_SERVICES as readonly string[]).includes(value)) {
      return { id: 'model.config.is_valid.intune_auth_service_invalid.app_error', field, params: { Value: value } };
    }
    if (value === 'office365' && !s.Office365Settings.Enable) {
      return { id: 'model.config.is_valid.intune_requires_office365.app_error', field };
    }
    if (value === 'saml' && !s.SamlSettings.Enable) {
      return { id: 'model.config.is_valid.intune_requires_saml.app_error', field };
    }
    return undefined;
  },
  (s) => {
    const value = s.IntuneSettings.IdAttribute;
    if (value === 'objectId') return undefined;
    const result = INTUNE_ID_ATTRIBUTE_RESULTS[value.toLowerCase()] ?? CUSTOM_ATTRIBUTE_RESULT;
    return {
      id: 'model.config.is_valid.intune_id_attribute.app_error',
      field: 'IntuneSettings.IdAttribute',
      params: { Value: value, Result: result },
    };
  },
  (s) => {
    const value = s.IntuneSettings.IntuneScope;
    if (!value || SCOPE.test(value)) return undefined;
    return {
      id: 'model.config.is_valid.intune_scope.app_error',
      field: 'IntuneSettings.IntuneScope',
      params: { Value: value },
    };
  },
  (s) => {
    const ids = s.IntuneSettings.AllowedClientIds;
    const field = 'IntuneSettings.AllowedClientIds';
    if (ids.length === 0) return { id: 'model.config.is_valid.intune_allowed_client_ids.app_error', field };
    const bad = ids.find((id) => !isGuid(id));
    if (bad !== undefined) {
      return { id: 'model.config.is_valid.intune_allowed_client_ids_format.app_error', field, params: { Value: bad } };
    }
    return undefined;
  },
  (s) => {
    const value = s.IntuneSettings.TunnelClientId;
    if (!value || isGuid(value)) return undefined;
    return {
      id: 'model.config.is_valid.intune_tunnel_client_id_format.app_error',
      field: 'IntuneSettings.TunnelClientId',
      params: { Value: value },
    };
  },
];

const evidenceRules: Rule[] = [
  (s) => {
    const value = s.IntuneSettings.EnrollmentEvidence;
    const field = 'IntuneSettings.EnrollmentEvidence';
    if (!(ENROLLMENT_EVIDENCE_SOURCES as readonly string[]).includes(value)) {
      return { id: 'model.config.is_valid.intune_enrollment_evidence.app_error', field, params: { Value: value } };
    }
    if (value === 'graph' && !s.GraphSettings.Enable) return { id: 'model.config.is_valid.intune_evidence_requires_graph.app_error', field };
    return undefined;
  },
  (s) => {
    if (s.IntuneSettings.MobileAppIds.length > 0) return undefined;
    return { id: 'model.config.is_valid.intune_mobile_app_ids.app_error', field: 'IntuneSettings.MobileAppIds' };
  },
];

// Checked whether Intune is on or off: switching it on later must not bring a value no code understands to life.
const androidRules: Rule[] = [
  (s) => {
    const value = s.IntuneSettings.AndroidPolicy;
    if ((ANDROID_POLICIES as readonly string[]).includes(value)) return undefined;
    return { id: 'model.config.is_valid.intune_android_policy.app_error', field: 'IntuneSettings.AndroidPolicy', params: { Value: value } };
  },
];

const graphRules: Rule[] = [
  (s) => {
    const value = s.GraphSettings.ClientId;
    if (isGuid(value)) return undefined;
    return { id: 'model.config.is_valid.graph_client_id.app_error', field: 'GraphSettings.ClientId', params: { Value: value } };
  },
];

const identitySourceRules: Rule[] = [
  (s) => {
    const value = s.SamlSettings.IdAttribute;
    if (value === SAML_OBJECT_ID_CLAIM) return undefined;
    const result = SAML_ID_ATTRIBUTE_RESULTS[value.toLowerCase()] ?? CUSTOM_ATTRIBUTE_RESULT;
    return {
      id: 'model.config.is_valid.saml_id_attribute.app_error',
      field: 'SamlSettings.IdAttribute',
      params: { Value: value, Result: result },
    };
  },
  (s) => {
    if (!s.SamlSettings.Enable) return undefined;
    const index = s.SamlSettings.IdpCertificates.findIndex((pem) => !parsesAsCertificate(pem));
    if (index < 0) return undefined;
    return {
      id: 'model.config.is_valid.saml_idp_certificate.app_error',
      field: 'SamlSettings.IdpCertificates',
      params: { Index: index },
    };
  },
  (s) => {
    // Empty is allowed here (SAML may be switched on by the chat server in companion mode); SAML sign-in and
    // the metadata then answer not_configured until it is set.
    const value = s.SamlSettings.AssertionConsumerServiceURL;
    if (value === '' || isAcsUrl(value)) return undefined;
    return {
      id: 'model.config.is_valid.saml_assertion_consumer_service_url.app_error',
      field: 'SamlSettings.AssertionConsumerServiceURL',
      params: { Value: value },
    };
  },
  (s) => {
    const value = s.LdapSettings.IdAttribute;
    if (value.toLowerCase() === LDAP_OBJECT_ID_ATTRIBUTE.toLowerCase()) return undefined;
    const result = LDAP_ID_ATTRIBUTE_RESULTS[value.toLowerCase()] ?? CUSTOM_ATTRIBUTE_RESULT;
    return {
      id: 'model.config.is_valid.ldap_id_attribute.app_error',
      field: 'LdapSettings.IdAttribute',
      params: { Value: value, Result: result },
    };
  },
  (s) => {
    if (!s.LdapSettings.Enable || /^ldaps?:\/\/[^\s/]+\/?$/i.test(s.LdapSettings.Url)) return undefined;
    return { id: 'model.config.is_valid.ldap_url.app_error', field: 'LdapSettings.Url', params: { Value: s.LdapSettings.Url } };
  },
  (s) => {
    if (!s.LdapSettings.Enable || s.LdapSettings.BaseDn) return undefined;
    return { id: 'model.config.is_valid.ldap_base_dn.app_error', field: 'LdapSettings.BaseDn' };
  },
];

/** The four app-config keys that together mean "tunnel required" (seed 000), in the order they are named. */
const TUNNEL_REQUIRED = ['ConnectionType', 'ConnectionName', 'SiteId', 'ServerAddress'] as const;

// TunnelSettings: the com.microsoft.tunnel.* values (reference/tunnel-and-plugin.md A1, table (a) rows 6, 11, 12).
// The offline gateway checks that need more than these values live in server/tunnel/validate.ts.
const tunnelRules: Rule[] = [
  (s) => {
    const t = s.TunnelSettings;
    const missing = TUNNEL_REQUIRED.filter((key) => t[key].trim() === '');
    if (missing.length === 0 || missing.length === TUNNEL_REQUIRED.length) return undefined;
    const fields = missing.map((key) => `TunnelSettings.${key}`);
    return { id: 'model.config.is_valid.tunnel_incomplete.app_error', field: fields[0]!, params: { Missing: `${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'}` } };
  },
  (s) => {
    const value = s.TunnelSettings.SiteId.trim();
    if (!value || isGuid(value)) return undefined;
    return { id: 'model.config.is_valid.tunnel_site_id.app_error', field: 'TunnelSettings.SiteId', params: { Value: value } };
  },
  (s) => {
    const value = s.TunnelSettings.ServerAddress.trim();
    if (!value) return undefined;
    const parsed = parseServerAddress(value);
    if (parsed.ok) return undefined;
    return {
      id: 'model.config.is_valid.tunnel_server_address.app_error',
      field: 'TunnelSettings.ServerAddress',
      params: { Value: value, Problem: parsed.problem },
    };
  },
  (s) => {
    // An id that is not a GUID is reported by intune_tunnel_client_id_format; this one is about an empty id.
    if (!tunnelConfigured(s.TunnelSettings) || s.IntuneSettings.TunnelClientId.trim() !== '') return undefined;
    return { id: 'model.config.is_valid.tunnel_client_id.app_error', field: 'IntuneSettings.TunnelClientId' };
  },
  (s) => {
    const value = s.TunnelSettings.TrustedRootCertificates;
    if (value.trim() === '') return undefined;
    const parsed = parseTrustedRoots(value);
    if (parsed.ok) return undefined;
    return {
      id: 'model.config.is_valid.tunnel_trusted_roots.app_error',
      field: 'TunnelSettings.TrustedRootCertificates',
      params: { Problem: parsed.problem },
    };
  },
  (s) => {
    const value = s.TunnelSettings.ProxyPacUrl.trim();
    if (!value || isHttpUrl(value)) return undefined;
    return { id: 'model.config.is_valid.tunnel_proxy_pac_url.app_error', field: 'TunnelSettings.ProxyPacUrl', params: { Value: value } };
  },
  (s) => {
    const address = s.TunnelSettings.ProxyAddress.trim();
    const port = s.TunnelSettings.ProxyPort;
    const id = 'model.config.is_valid.tunnel_proxy.app_error';
    if (address && port === 0) return { id, field: 'TunnelSettings.ProxyPort', params: { Problem: 'a proxy address is set without a port' } };
    if (!address && port !== 0) return { id, field: 'TunnelSettings.ProxyAddress', params: { Problem: 'a proxy port is set without an address' } };
    if (address && !isHostName(address) && !parseAddress(address)) {
      return { id, field: 'TunnelSettings.ProxyAddress', params: { Problem: `"${address}" is not a host name or IP address` } };
    }
    return undefined;
  },
];

export function parsesAsCertificate(text: string): boolean {
  const body = text.includes('-----BEGIN')
    ? text
    : `-----BEGIN CERTIFICATE-----\n${text.replace(/\s+/g, '')}\n-----END CERTIFICATE-----`;
  try {
    new X509Certificate(body);
    return true;
  } catch {
    return false;
  }
}

const connectionRules: Rule[] = [
  (s) => {
    const value = s.ChatServerSettings.Url;
    if (value === '' || (isHttpUrl(value) && !new URL(value).username && !new URL(value).search)) return undefined;
    return { id: 'model.config.is_valid.chat_server_url.app_error', field: 'ChatServerSettings.Url', params: { Value: value } };
  },
];

function run(rules: Rule[], settings: Settings): FieldError[] {
  return rules.map((rule) => rule(settings)).filter((e): e is FieldError => e !== undefined);
}

/** Problems that keep Intune MAM from being configured; empty when it is off (nothing is checked then). */
export function intuneProblems(settings: Settings): FieldError[] {
  return settings.IntuneSettings.Enable ? run(intuneRules, settings) : [];
}

/** MAM Tunnel problems; like the other Intune fields they are checked only while Intune MAM is on. */
export function tunnelProblems(settings: Settings): FieldError[] {
  return settings.IntuneSettings.Enable ? run(tunnelRules, settings) : [];
}

/** Every problem with a settings document, in rule order. */
export function settingsProblems(settings: Settings): FieldError[] {
  return [
    ...run(connectionRules, settings),
    ...intuneProblems(settings),
    ...(settings.IntuneSettings.Enable ? run(evidenceRules, settings) : []),
    ...run(androidRules, settings),
    ...(settings.GraphSettings.Enable ? run(graphRules, settings) : []),
    ...run(identitySourceRules, settings),
    ...tunnelProblems(settings),
  ];
}

/** Configured = switched on and every Intune rule passes (including the chosen provider being enabled). */
export function isIntuneConfigured(settings: Settings): boolean {
  return settings.IntuneSettings.Enable && intuneProblems(settings).length === 0;
}
