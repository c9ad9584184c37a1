// The pure tunnel validator: every rule of table (a) rows 1–9 and 11–13 with a value that fails it and one that
// passes, on Graph-shaped server configurations and sites and on app-configuration policies.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AppError } from '../../server/errors/app-error.ts';
import { defaultSettings } from '../../server/settings/model.ts';
import { appConfigFromInput } from '../../server/tunnel/app-config.ts';
import { parseAddress, parseCidr, overlaps } from '../../server/values/ip.ts';
import {
  type Finding,
  parseTunnelValidationRequest,
  type Severity,
  tunnelFindings,
  tunnelReport,
  validateTunnel,
} from '../../server/tunnel/validate.ts';
import {
  CERT_VALID_AT,
  goodAppConfig,
  goodServerConfiguration,
  goodSite,
  goodTunnelSettings,
  SITE_ID,
  TEST_CERT_DER_BASE64,
  TEST_CERT_PEM,
  TUNNEL_CLIENT,
  trustedRoots,
} from './fixtures.ts';

interface Input {
  appConfig?: Record<string, unknown>;
  serverConfiguration?: Record<string, unknown>;
  site?: Record<string, unknown>;
}
type Change = (input: Required<Input>) => void;

const K = (name: string) => `com.microsoft.tunnel.${name}`;

function findingsFor(change: Change = () => {}, now = CERT_VALID_AT): Finding[] {
  const input: Required<Input> = { appConfig: goodAppConfig(), serverConfiguration: goodServerConfiguration(), site: goodSite() };
  change(input);
  return validateTunnel(
    {
      appConfig: input.appConfig === undefined ? undefined : appConfigFromInput(input.appConfig),
      serverConfiguration: input.serverConfiguration,
      site: input.site,
    },
    { now },
  );
}

const sc = (fields: Record<string, unknown>): Change => (i) => Object.assign(i.serverConfiguration, fields);
const site = (fields: Record<string, unknown>): Change => (i) => Object.assign(i.site, fields);
const app = (fields: Record<string, unknown>): Change => (i) => Object.assign(i.appConfig, fields);
const without = (part: keyof Input, ...keys: string[]): Change => (i) => {
  for (const key of keys) delete (i[part] as Record<string, unknown>)[key];
};
const both = (...changes: Change[]): Change => (i) => {
  for (const change of changes) change(i);
};

interface Case {
  rule: string;
  severity: Severity;
  field?: string;
  label: string;
  fail: Change;
  pass: Change;
}

const CASES: Case[] = [
  // Row 1: the client address range
  { rule: 'network.cidr', severity: 'error', field: 'serverConfiguration.network', label: 'not a CIDR', fail: sc({ network: '169.254.0.0' }), pass: sc({ network: '169.254.0.0/16' }) },
  { rule: 'network.cidr', severity: 'error', label: 'an IPv6 range in network', fail: sc({ network: 'fd00::/64' }), pass: sc({ network: '169.254.0.0/17' }) },
  { rule: 'network.cidr', severity: 'error', label: 'missing', fail: without('serverConfiguration', 'network'), pass: () => {} },
  { rule: 'network.cidr', severity: 'error', label: 'prefix out of range', fail: sc({ network: '169.254.0.0/33' }), pass: sc({ network: '169.254.0.0/32' }) },
  { rule: 'network.ipv6_cidr', severity: 'error', label: 'IPv4 in ipv6Network', fail: sc({ ipv6Network: '169.254.0.0/16' }), pass: sc({ ipv6Network: 'fd00:1234::/64' }) },
  { rule: 'network.host_bits', severity: 'warning', label: 'host bits set', fail: sc({ network: '169.254.1.1/16' }), pass: sc({ network: '169.254.0.0/16' }) },
  { rule: 'network.apipa', severity: 'info', label: 'outside 169.254.0.0/16', fail: sc({ network: '100.96.0.0/16' }), pass: sc({ network: '169.254.128.0/17' }) },
  { rule: 'network.size', severity: 'warning', label: 'a /28 holds 14 clients', fail: sc({ network: '169.254.0.0/28' }), pass: sc({ network: '169.254.0.0/24' }) },
  { rule: 'network.size', severity: 'info', label: 'larger than a server uses', fail: sc({ network: '100.64.0.0/10' }), pass: sc({ network: '169.254.0.0/16' }) },
  { rule: 'network.overlap.bridge', severity: 'error', label: 'the Docker bridge', fail: sc({ network: '172.17.0.0/16' }), pass: sc({ network: '172.18.0.0/16' }) },
  { rule: 'network.overlap.bridge', severity: 'error', label: 'the Podman bridge', fail: sc({ network: '10.88.128.0/17' }), pass: sc({ network: '10.89.0.0/16' }) },
  { rule: 'network.overlap.route', severity: 'error', label: 'an included route', fail: sc({ network: '10.0.128.0/17' }), pass: sc({ network: '10.1.0.0/16' }) },
  { rule: 'network.overlap.route', severity: 'error', label: 'an excluded route', fail: sc({ network: '10.0.200.0/25', routeIncludes: ['192.168.10.0/24'] }), pass: sc({ network: '10.0.201.0/24', routeIncludes: ['192.168.10.0/24'] }) },
  { rule: 'network.overlap.dns', severity: 'error', label: 'a DNS server inside the range', fail: sc({ network: '10.0.1.0/24', routeIncludes: ['10.0.0.0/24'] }), pass: sc({ network: '10.0.2.0/24', routeIncludes: ['10.0.0.0/23'] }) },

  // Row 2: the listen port
  { rule: 'port.range', severity: 'error', field: 'serverConfiguration.listenPort', label: '0', fail: sc({ listenPort: 0 }), pass: sc({ listenPort: 1 }) },
  { rule: 'port.range', severity: 'error', label: '65536', fail: sc({ listenPort: 65536 }), pass: sc({ listenPort: 65535 }) },
  { rule: 'port.range', severity: 'error', label: 'not a number', fail: sc({ listenPort: 'https' }), pass: sc({ listenPort: '443' }) },
  { rule: 'port.custom', severity: 'info', label: 'a custom port must be opened', fail: both(sc({ listenPort: 8443 }), app({ [K('server_address')]: 'tunnel.contoso.com:8443' })), pass: sc({ listenPort: 443 }) },

  // Row 3: UDP
  { rule: 'udp.disabled', severity: 'warning', field: 'serverConfiguration.disableUdpConnections', label: 'disabled', fail: sc({ disableUdpConnections: true }), pass: sc({ disableUdpConnections: false }) },

  // Row 4: DNS servers
  { rule: 'dns.required', severity: 'error', field: 'serverConfiguration.dnsServers', label: 'empty', fail: sc({ dnsServers: [] }), pass: sc({ dnsServers: ['10.0.0.53'] }) },
  { rule: 'dns.required', severity: 'error', label: 'missing', fail: without('serverConfiguration', 'dnsServers'), pass: () => {} },
  { rule: 'dns.ip', severity: 'error', field: 'serverConfiguration.dnsServers[1]', label: 'a name instead of an address', fail: sc({ dnsServers: ['10.0.0.53', 'dns.contoso.com'] }), pass: sc({ dnsServers: ['10.0.0.53', '10.0.1.54'] }) },
  { rule: 'dns.ip', severity: 'error', label: 'an address with a prefix', fail: sc({ dnsServers: ['10.0.0.53/32'] }), pass: sc({ dnsServers: ['10.0.0.53'] }) },
  { rule: 'dns.overlap.bridge', severity: 'error', label: 'in the Docker bridge', fail: sc({ dnsServers: ['172.17.0.1'], routeIncludes: ['172.17.0.0/24'] }), pass: sc({ dnsServers: ['172.18.0.1'], routeIncludes: ['172.18.0.0/24'] }) },
  { rule: 'dns.route', severity: 'warning', label: 'an internal server no included route covers', fail: sc({ dnsServers: ['10.5.0.53'] }), pass: sc({ dnsServers: ['10.0.5.53'] }) },
  { rule: 'dns.route', severity: 'warning', label: 'an internal server inside an excluded route', fail: sc({ dnsServers: ['10.0.200.53'] }), pass: sc({ dnsServers: ['10.0.100.53'] }) },
  { rule: 'dns.route', severity: 'warning', label: 'full tunnel (no includes) reaches every server', fail: sc({ dnsServers: ['10.9.0.53'] }), pass: sc({ dnsServers: ['10.9.0.53'], routeIncludes: [], routeExcludes: [] }) },
  { rule: 'dns.suffix', severity: 'warning', label: 'not a domain', fail: sc({ defaultDomainSuffix: 'corp contoso' }), pass: sc({ defaultDomainSuffix: 'contoso.local' }) },
  { rule: 'dns.split_dns', severity: 'warning', label: 'not a domain', fail: sc({ splitDNS: ['corp.contoso.com', 'https://x'] }), pass: sc({ splitDNS: ['corp.contoso.com', '.fabrikam.com'] }) },

  // Row 5: split tunnelling
  { rule: 'routes.cidr', severity: 'error', field: 'serverConfiguration.routeIncludes[1]', label: 'not a CIDR', fail: sc({ routeIncludes: ['10.0.0.0/16', '10.1.0.0-10.1.255.255'] }), pass: sc({ routeIncludes: ['10.0.0.0/16', '10.1.0.0/16'] }) },
  { rule: 'routes.cidr', severity: 'error', label: 'a bare address', fail: sc({ routeExcludes: ['10.0.200.1'] }), pass: sc({ routeExcludes: ['10.0.200.1/32'] }) },
  { rule: 'routes.cidr', severity: 'error', label: 'not a list', fail: sc({ routeIncludes: '10.0.0.0/16' }), pass: sc({ routeIncludes: ['10.0.0.0/16'] }) },
  { rule: 'routes.cidr', severity: 'error', label: 'IPv6 routes are CIDRs too', fail: sc({ routeIncludes: ['10.0.0.0/16', 'fd00::/129'] }), pass: sc({ routeIncludes: ['10.0.0.0/16', 'fd00::/48'] }) },
  { rule: 'routes.default_route', severity: 'error', label: '0.0.0.0/0 included', fail: sc({ routeIncludes: ['0.0.0.0/0'] }), pass: sc({ routeIncludes: ['10.0.0.0/8'] }) },
  { rule: 'routes.default_route', severity: 'error', label: '0.0.0.0/1 excluded (contains 0.0.0.0)', fail: sc({ routeExcludes: ['0.0.0.0/1'] }), pass: sc({ routeExcludes: ['128.0.0.0/1'] }) },
  { rule: 'routes.default_route', severity: 'error', label: '::/0 included', fail: sc({ routeIncludes: ['10.0.0.0/16', '::/0'] }), pass: sc({ routeIncludes: ['10.0.0.0/16', '2001:db8::/32'] }) },
  { rule: 'routes.host_bits', severity: 'warning', label: 'host bits set', fail: sc({ routeIncludes: ['10.0.0.1/16'] }), pass: sc({ routeIncludes: ['10.0.0.0/16'] }) },
  {
    rule: 'routes.limit',
    severity: 'error',
    label: '501 rules',
    fail: sc({ routeIncludes: routes(301), routeExcludes: routes(200, 1) }),
    pass: sc({ routeIncludes: routes(300), routeExcludes: routes(200, 1) }),
  },
  { rule: 'routes.deprecated', severity: 'warning', field: 'serverConfiguration.routesInclude', label: 'routesInclude', fail: sc({ routesInclude: ['10.0.0.0/16'] }), pass: sc({ routesInclude: [] }) },
  { rule: 'routes.deprecated', severity: 'warning', field: 'serverConfiguration.routesExclude', label: 'routesExclude', fail: sc({ routesExclude: ['10.0.200.0/24'] }), pass: sc({ routesExclude: null }) },
  { rule: 'routes.overlap.bridge', severity: 'warning', label: '172.16.0.0/12 contains the Docker bridge', fail: sc({ routeIncludes: ['10.0.0.0/16', '172.16.0.0/12'] }), pass: sc({ routeIncludes: ['10.0.0.0/16', '172.20.0.0/14'] }) },

  // Row 6: proxy with split tunnelling (iOS MAM)
  {
    rule: 'proxy.split_tunnel',
    severity: 'error',
    field: K('proxy_address'),
    label: 'explicit proxy with split tunnelling',
    fail: app({ [K('proxy_pacurl')]: undefined, [K('proxy_address')]: 'proxy.contoso.com', [K('proxy_port')]: '8080' }),
    pass: app({ [K('proxy_pacurl')]: 'https://proxy.contoso.com/proxy.pac' }),
  },
  {
    rule: 'proxy.split_tunnel',
    severity: 'error',
    label: 'explicit proxy without split tunnelling is fine',
    fail: app({ [K('proxy_pacurl')]: undefined, [K('proxy_address')]: 'proxy.contoso.com', [K('proxy_port')]: 8080 }),
    pass: both(app({ [K('proxy_pacurl')]: undefined, [K('proxy_address')]: 'proxy.contoso.com', [K('proxy_port')]: 8080 }), sc({ routeIncludes: [], routeExcludes: [] })),
  },

  // Row 7: the public address
  { rule: 'site.public_address', severity: 'error', field: 'site.publicAddress', label: 'a private address', fail: site({ publicAddress: '192.168.1.10' }), pass: site({ publicAddress: '20.30.40.50' }) },
  { rule: 'site.public_address', severity: 'error', label: 'loopback', fail: site({ publicAddress: '127.0.0.1' }), pass: site({ publicAddress: 'tunnel.contoso.com' }) },
  { rule: 'site.public_address', severity: 'error', label: 'IPv6 unique-local', fail: site({ publicAddress: 'fd12::1' }), pass: site({ publicAddress: '2606:4700::1111' }) },
  { rule: 'site.public_address', severity: 'error', label: 'CGNAT shared space', fail: site({ publicAddress: '100.64.1.1' }), pass: site({ publicAddress: '20.30.40.50' }) },
  { rule: 'site.public_address', severity: 'error', label: 'a single label', fail: site({ publicAddress: 'tunnel' }), pass: site({ publicAddress: 'TUNNEL.contoso.com.' }) },
  { rule: 'site.public_address', severity: 'error', label: 'with a port', fail: site({ publicAddress: 'tunnel.contoso.com:443' }), pass: site({ publicAddress: 'tunnel.contoso.com' }) },
  { rule: 'site.public_address', severity: 'error', label: 'with a scheme', fail: site({ publicAddress: 'https://tunnel.contoso.com' }), pass: site({ publicAddress: 'tunnel.contoso.com' }) },
  { rule: 'site.public_address', severity: 'error', label: 'missing', fail: without('site', 'publicAddress'), pass: () => {} },
  { rule: 'site.public_address_resolvable', severity: 'warning', label: '.local', fail: both(site({ publicAddress: 'tunnel.contoso.local' }), app({ [K('server_address')]: 'tunnel.contoso.local:443' })), pass: () => {} },

  // Row 8: the probe URL
  { rule: 'site.probe_url', severity: 'error', field: 'site.internalNetworkProbeUrl', label: 'not http(s)', fail: site({ internalNetworkProbeUrl: 'intranet.corp.contoso.com' }), pass: site({ internalNetworkProbeUrl: 'http://intranet.corp.contoso.com/health' }) },
  { rule: 'site.probe_url', severity: 'error', label: 'ftp', fail: site({ internalNetworkProbeUrl: 'ftp://files.corp.contoso.com/' }), pass: site({ internalNetworkProbeUrl: '' }) },

  // Row 9: the upgrade window
  { rule: 'site.upgrade_window', severity: 'error', label: '30 minutes', fail: site({ upgradeWindowStartTime: '01:00:00', upgradeWindowEndTime: '01:30:00' }), pass: site({ upgradeWindowStartTime: '01:00:00', upgradeWindowEndTime: '02:00:00' }) },
  { rule: 'site.upgrade_window', severity: 'error', label: 'across midnight', fail: site({ upgradeWindowStartTime: '23:30:00', upgradeWindowEndTime: '00:15:00' }), pass: site({ upgradeWindowStartTime: '23:30:00', upgradeWindowEndTime: '00:30:00.0000000' }) },
  { rule: 'site.upgrade_window', severity: 'error', label: 'start equals end', fail: site({ upgradeWindowStartTime: '02:00:00', upgradeWindowEndTime: '02:00:00' }), pass: without('site', 'upgradeWindowStartTime', 'upgradeWindowEndTime') },
  { rule: 'site.upgrade_window', severity: 'error', label: 'only one end', fail: without('site', 'upgradeWindowEndTime'), pass: () => {} },
  { rule: 'site.upgrade_window', severity: 'error', label: 'not a time', fail: site({ upgradeWindowStartTime: '1am' }), pass: site({ upgradeWindowStartTime: '01:00' }) },

  // Row 11: the app-configuration keys
  { rule: 'appconfig.required', severity: 'error', field: K('site_id'), label: 'three of four keys', fail: app({ [K('site_id')]: undefined }), pass: () => {} },
  { rule: 'appconfig.required', severity: 'error', label: 'a blank value counts as missing', fail: app({ [K('connection_name')]: '   ' }), pass: app({ [K('connection_name')]: 'Contoso' }) },
  { rule: 'appconfig.required', severity: 'info', label: 'none of the keys: not configured', fail: (i) => (i.appConfig = { IntuneMAMUPN: '{{userprincipalname}}' }), pass: () => {} },
  { rule: 'appconfig.unknown_key', severity: 'warning', field: K('siteid'), label: 'a misspelt key', fail: app({ [K('siteid')]: SITE_ID }), pass: app({ [K('targeted_apps')]: 'com.contoso.app' }) },
  { rule: 'appconfig.whitespace', severity: 'warning', field: K('connection_name'), label: 'a trailing space', fail: app({ [K('connection_name')]: 'mam-tunnel-vpn ' }), pass: app({ [K('connection_name')]: 'mam tunnel vpn' }) },
  { rule: 'appconfig.connection_type', severity: 'warning', label: 'the MDM connection type', fail: app({ [K('connection_type')]: 'microsoftTunnel' }), pass: app({ [K('connection_type')]: 'MicrosoftProtect' }) },
  { rule: 'appconfig.site_id', severity: 'error', field: K('site_id'), label: 'not a GUID', fail: app({ [K('site_id')]: 'contoso-site' }), pass: app({ [K('site_id')]: SITE_ID.toUpperCase() }) },
  { rule: 'appconfig.server_address', severity: 'error', field: K('server_address'), label: 'no port', fail: app({ [K('server_address')]: 'tunnel.contoso.com' }), pass: () => {} },
  { rule: 'appconfig.server_address', severity: 'error', label: 'port 0', fail: app({ [K('server_address')]: 'tunnel.contoso.com:0' }), pass: app({ [K('server_address')]: 'tunnel.contoso.com:443' }) },
  { rule: 'appconfig.server_address', severity: 'error', label: 'port 65536', fail: app({ [K('server_address')]: 'tunnel.contoso.com:65536' }), pass: both(app({ [K('server_address')]: 'tunnel.contoso.com:65535' }), sc({ listenPort: 65535 })) },
  { rule: 'appconfig.server_address', severity: 'error', label: 'a URL', fail: app({ [K('server_address')]: 'https://tunnel.contoso.com:443' }), pass: () => {} },
  { rule: 'appconfig.server_address', severity: 'error', label: 'IPv6 without brackets', fail: app({ [K('server_address')]: '2606:4700::1111:443' }), pass: both(app({ [K('server_address')]: '[2606:4700::1111]:443' }), site({ publicAddress: '2606:4700::1111' })) },
  { rule: 'match.site_id', severity: 'error', field: K('site_id'), label: 'another site', fail: app({ [K('site_id')]: '00000000-1111-4222-8333-444444444444' }), pass: app({ [K('site_id')]: SITE_ID.toUpperCase() }) },
  { rule: 'match.server_address', severity: 'error', field: K('server_address'), label: 'another host', fail: app({ [K('server_address')]: 'vpn.contoso.com:443' }), pass: app({ [K('server_address')]: 'Tunnel.Contoso.com.:443' }) },
  { rule: 'match.server_address', severity: 'error', label: 'another port', fail: app({ [K('server_address')]: 'tunnel.contoso.com:8443' }), pass: both(app({ [K('server_address')]: 'tunnel.contoso.com:8443' }), sc({ listenPort: 8443 })) },
  { rule: 'match.server_address', severity: 'error', label: 'listenPort unset means 443', fail: both(without('serverConfiguration', 'listenPort'), app({ [K('server_address')]: 'tunnel.contoso.com:444' })), pass: without('serverConfiguration', 'listenPort') },
  { rule: 'site.id', severity: 'error', field: 'site.id', label: 'not a GUID', fail: both(site({ id: 'site-1' }), app({ [K('site_id')]: 'site-1' })), pass: () => {} },

  // Seed 000: the identity tokens a line-of-business app gets only from its policy
  { rule: 'appconfig.identity_keys', severity: 'error', field: 'IntuneMAMUPN', label: 'no IntuneMAMUPN', fail: without('appConfig', 'IntuneMAMUPN'), pass: () => {} },
  { rule: 'appconfig.identity_keys', severity: 'error', field: 'IntuneMAMOID', label: 'spaces inside the braces', fail: app({ IntuneMAMOID: '{{ userid }}' }), pass: app({ IntuneMAMOID: ' {{userid}}' }) },
  { rule: 'appconfig.identity_keys', severity: 'error', field: 'IntuneMAMUPN', label: 'a fixed UPN instead of the token', fail: app({ IntuneMAMUPN: 'jane@contoso.com' }), pass: (i) => (i.appConfig = { ...goodTunnelSettings() }) },

  // Row 12: trusted roots
  { rule: 'appconfig.trusted_roots', severity: 'error', field: K('trusted_root_certificates'), label: 'not JSON', fail: app({ [K('trusted_root_certificates')]: TEST_CERT_DER_BASE64 }), pass: app({ [K('trusted_root_certificates')]: trustedRoots(TEST_CERT_DER_BASE64) }) },
  { rule: 'appconfig.trusted_roots', severity: 'error', label: 'an object, not an array', fail: app({ [K('trusted_root_certificates')]: JSON.stringify({ trustedRootCertificate: TEST_CERT_DER_BASE64 }) }), pass: app({ [K('trusted_root_certificates')]: trustedRoots(TEST_CERT_PEM) }) },
  { rule: 'appconfig.trusted_roots', severity: 'error', label: 'a profile without its certificate', fail: app({ [K('trusted_root_certificates')]: JSON.stringify([{ displayName: 'Root' }]) }), pass: app({ [K('trusted_root_certificates')]: trustedRoots(Buffer.from(TEST_CERT_PEM).toString('base64')) }) },
  { rule: 'appconfig.trusted_roots', severity: 'error', label: 'a certificate that does not parse', fail: app({ [K('trusted_root_certificates')]: trustedRoots(TEST_CERT_DER_BASE64, 'TUlJQm9vcHM=') }), pass: app({ [K('trusted_root_certificates')]: trustedRoots(TEST_CERT_DER_BASE64, TEST_CERT_PEM) }) },
  { rule: 'appconfig.trusted_roots', severity: 'error', label: 'a truncated certificate', fail: app({ [K('trusted_root_certificates')]: trustedRoots(TEST_CERT_DER_BASE64.slice(0, 200)) }), pass: app({ [K('trusted_root_certificates')]: '' }) },
  { rule: 'appconfig.trusted_roots_expired', severity: 'warning', label: 'expired by 2040', fail: () => {}, pass: () => {} },

  // Proxy values (row 6's inputs)
  { rule: 'appconfig.proxy_pac_url', severity: 'error', field: K('proxy_pacurl'), label: 'not http(s)', fail: app({ [K('proxy_pacurl')]: 'file:///etc/proxy.pac' }), pass: app({ [K('proxy_pacurl')]: 'http://proxy.contoso.com/wpad.dat' }) },
  { rule: 'appconfig.proxy', severity: 'error', field: K('proxy_port'), label: 'an address without a port', fail: app({ [K('proxy_pacurl')]: undefined, [K('proxy_address')]: 'proxy.contoso.com' }), pass: () => {} },
  { rule: 'appconfig.proxy', severity: 'error', field: K('proxy_address'), label: 'a port without an address', fail: app({ [K('proxy_port')]: 8080 }), pass: app({ [K('proxy_port')]: -1 }) },
  { rule: 'appconfig.proxy', severity: 'error', field: K('proxy_port'), label: 'port out of range', fail: app({ [K('proxy_address')]: 'proxy.contoso.com', [K('proxy_port')]: 70000 }), pass: app({ [K('proxy_address')]: '10.0.0.8', [K('proxy_port')]: '3128' }) },
  { rule: 'appconfig.proxy', severity: 'error', field: K('proxy_address'), label: 'a URL as address', fail: app({ [K('proxy_address')]: 'http://proxy.contoso.com:8080', [K('proxy_port')]: 8080 }), pass: app({ [K('proxy_address')]: 'proxy', [K('proxy_port')]: 8080 }) },
  { rule: 'appconfig.proxy_both', severity: 'warning', label: 'PAC and an explicit proxy', fail: app({ [K('proxy_address')]: 'proxy.contoso.com', [K('proxy_port')]: 8080 }), pass: app({ [K('proxy_address')]: '', [K('proxy_port')]: '' }) },

  // Row 13: federated tenants
  { rule: 'appconfig.bypassed_urls', severity: 'info', label: 'no bypassed URLs', fail: app({ [K('custom_configuration')]: undefined }), pass: app({ [K('custom_configuration')]: { bypassedUrls: ['https://sts.contoso.com/adfs/ls'] } }) },
  { rule: 'appconfig.bypassed_urls_form', severity: 'warning', label: 'an entry that is no host or URL', fail: app({ [K('custom_configuration')]: JSON.stringify({ bypassedUrls: ['sts.contoso.com', 'not a host'] }) }), pass: app({ [K('custom_configuration')]: JSON.stringify({ bypassedUrls: ['*.contoso.com'] }) }) },
  { rule: 'appconfig.custom_configuration', severity: 'error', label: 'not JSON', fail: app({ [K('custom_configuration')]: 'bypassedUrls=sts.contoso.com' }), pass: () => {} },
  { rule: 'appconfig.custom_configuration', severity: 'error', label: 'bypassedUrls not a list of strings', fail: app({ [K('custom_configuration')]: '{"bypassedUrls":"sts.contoso.com"}' }), pass: app({ [K('custom_configuration')]: '{"bypassedUrls":[]}' }) },
];

function routes(count: number, third = 0): string[] {
  return Array.from({ length: count }, (_, i) => `10.${100 + third}.${i % 256}.${Math.floor(i / 256) * 128}/25`);
}

function show(findings: Finding[]): string {
  return findings.map((f) => `${f.severity} ${f.rule} ${f.field}: ${f.message}`).join('\n');
}

describe('tunnel validator (table (a) rows 1–9, 11–13)', () => {
  test('the reference gateway passes every rule: no finding at all', () => {
    assert.deepEqual(findingsFor(), []);
  });

  for (const c of CASES) {
    test(`${c.rule} (${c.severity}): ${c.label}`, () => {
      const now = c.rule === 'appconfig.trusted_roots_expired' ? Date.parse('2040-01-01T00:00:00Z') : CERT_VALID_AT;
      const failing = findingsFor(c.fail, now);
      const hit = failing.find((f) => f.rule === c.rule);
      assert.ok(hit, `expected ${c.rule}, got:\n${show(failing)}`);
      assert.equal(hit.severity, c.severity);
      if (c.field) assert.equal(hit.field, c.field);
      assert.ok(hit.message.length > 10 && hit.fix.length > 10, 'every finding says what is wrong and how to fix it');
      assert.ok('value' in hit);
      const passing = findingsFor(c.pass);
      assert.equal(passing.filter((f) => f.rule === c.rule).length, 0, `did not expect ${c.rule}:\n${show(passing)}`);
    });
  }

  test('every rule the validator can emit has a case here', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    for (const rule of [
      'network.cidr', 'network.ipv6_cidr', 'network.host_bits', 'network.apipa', 'network.size', 'network.overlap.bridge',
      'network.overlap.route', 'network.overlap.dns', 'port.range', 'port.custom', 'udp.disabled', 'dns.required', 'dns.ip',
      'dns.overlap.bridge', 'dns.route', 'dns.suffix', 'dns.split_dns', 'routes.cidr', 'routes.default_route', 'routes.host_bits',
      'routes.limit', 'routes.deprecated', 'routes.overlap.bridge', 'proxy.split_tunnel', 'site.id', 'site.public_address',
      'site.public_address_resolvable', 'site.probe_url', 'site.upgrade_window', 'appconfig.required', 'appconfig.unknown_key',
      'appconfig.whitespace', 'appconfig.connection_type', 'appconfig.site_id', 'appconfig.server_address', 'match.site_id',
      'match.server_address', 'appconfig.trusted_roots', 'appconfig.trusted_roots_expired', 'appconfig.proxy_pac_url',
      'appconfig.proxy', 'appconfig.proxy_both', 'appconfig.bypassed_urls', 'appconfig.bypassed_urls_form',
      'appconfig.custom_configuration', 'appconfig.identity_keys',
    ]) {
      assert.ok(covered.has(rule), rule);
    }
    const source = ['app-config', 'identity-keys', 'server-config', 'site', 'cross-checks']
      .map((f) => readSource(`server/tunnel/${f}.ts`))
      .join('\n');
    const emitted = new Set([...source.matchAll(/finding\('(?:error|warning|info)', '([a-z_.]+)'/g)].map((m) => m[1]));
    for (const rule of emitted) assert.ok(covered.has(rule!) || rule === 'appconfig.tunnel_client_id', `no case for ${rule}`);
  });

  test('findings come errors first, then warnings, then notes', () => {
    const findings = findingsFor(both(sc({ network: '172.17.0.0/16', disableUdpConnections: true }), app({ [K('custom_configuration')]: undefined })));
    const order = findings.map((f) => ({ error: 0, warning: 1, info: 2 })[f.severity]);
    assert.deepEqual(order, [...order].sort());
    assert.ok(order.includes(0) && order.includes(1) && order.includes(2));
  });

  test('split-tunnel limit counts the deprecated lists when the new ones are absent', () => {
    const findings = findingsFor(sc({ routeIncludes: undefined, routeExcludes: undefined, routesInclude: routes(400), routesExclude: routes(101, 1) }));
    assert.ok(findings.some((f) => f.rule === 'routes.limit' && f.value === 501), show(findings));
  });

  test('a server configuration embedded in the site stands in for serverConfiguration', () => {
    const settings = defaultSettings();
    const embedded = { ...goodSite(), microsoftTunnelConfiguration: { ...goodServerConfiguration(), listenPort: 8443 } };
    const report = tunnelReport(settings, { appConfig: goodAppConfig(), site: embedded }, { now: CERT_VALID_AT, authority: 'https://login.microsoftonline.com' });
    assert.equal(report.checked.serverConfiguration, true);
    assert.ok(report.findings.some((f) => f.rule === 'match.server_address'), show(report.findings));
  });

  test('app configuration as Graph customSettings [{name, value}] and as TunnelSettings names', () => {
    const pairs = Object.entries(goodAppConfig()).map(([name, value]) => ({ name, value }));
    assert.deepEqual(findingsFor((i) => (i.appConfig = { customSettings: pairs } as Record<string, unknown>)), []);
    const viaList = validateTunnel({ appConfig: appConfigFromInput(pairs), site: goodSite() }, { now: CERT_VALID_AT });
    assert.deepEqual(viaList, []);
    const named = validateTunnel({ appConfig: appConfigFromInput(goodTunnelSettings()), site: goodSite() }, { now: CERT_VALID_AT });
    assert.deepEqual(named, []);
  });

  test('stored settings: TunnelClientId is required once the tunnel is configured, fields named as settings', () => {
    const settings = defaultSettings();
    Object.assign(settings.TunnelSettings, goodTunnelSettings());
    const missing = tunnelFindings(settings, {}, { now: CERT_VALID_AT });
    const hit = missing.find((f) => f.rule === 'appconfig.tunnel_client_id');
    assert.ok(hit, show(missing));
    assert.equal(hit.field, 'IntuneSettings.TunnelClientId');
    assert.equal(hit.severity, 'error');
    settings.IntuneSettings.TunnelClientId = TUNNEL_CLIENT;
    assert.deepEqual(tunnelFindings(settings, {}, { now: CERT_VALID_AT }), []);
    settings.TunnelSettings.ServerAddress = 'tunnel.contoso.com';
    const bad = tunnelFindings(settings, {}, { now: CERT_VALID_AT });
    assert.equal(bad.find((f) => f.rule === 'appconfig.server_address')?.field, 'TunnelSettings.ServerAddress');
    assert.ok(!bad.some((f) => f.rule === 'appconfig.tunnel_client_id'));
  });

  test('stored settings without any tunnel key: one note, no error', () => {
    const findings = tunnelFindings(defaultSettings());
    assert.deepEqual(
      findings.map((f) => [f.severity, f.rule]),
      [['info', 'appconfig.required']],
    );
  });

  test('request shape: unknown parts and wrong types are refused with the request error', () => {
    assert.deepEqual(parseTunnelValidationRequest(undefined), {});
    assert.deepEqual(parseTunnelValidationRequest({}), {});
    for (const bad of [{ gateway: {} }, { site: 'tunnel.contoso.com' }, { serverConfiguration: [] }, []]) {
      assert.throws(
        () => parseTunnelValidationRequest(bad),
        (e: unknown) => e instanceof AppError && e.id === 'mamgate.request.invalid_body_param.app_error',
      );
    }
  });

  test('address arithmetic: IPv4-mapped and compressed IPv6 forms', () => {
    assert.equal(parseAddress('::ffff:10.0.0.1')?.value, (0xffffn << 32n) | 0x0a000001n);
    assert.equal(parseAddress('1:2:3:4:5:6:7.8.9.10')?.value, parseAddress('1:2:3:4:5:6:708:90a')?.value);
    assert.equal(parseAddress('fe80::1%eth0'), undefined);
    assert.ok(overlaps(parseCidr('2001:db8::/32')!, parseCidr('2001:db8:1::/48')!));
    assert.ok(!overlaps(parseCidr('10.0.0.0/8')!, parseCidr('fd00::/8')!));
    assert.equal(parseCidr('10.0.0.0'), undefined);
  });
});

function readSource(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}
