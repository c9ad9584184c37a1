// A gateway that passes every tunnel rule, as Microsoft Graph and an app-configuration policy shape it; the tests
// change one thing at a time.

export const SITE_ID = '4a8e2f1c-7b3d-4c5e-9f60-1a2b3c4d5e6f';
export const TUNNEL_CLIENT = 'b1b2b3b4-c5c6-4d7d-8e9e-f0f1f2f3f4f5';

/** A self-signed EC certificate (valid 2026-11-22 to 2036-11-19). */
export const TEST_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBjDCCATGgAwIBAgIUb1HkD+DTGah0HeA4Dx6FLYH2XMwwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQbWFtZ2F0ZSB0ZXN0IGlkcDAeFw0yNjExMjIwMzE5MjlaFw0z
NjExMTkwMzE5MjlaMBsxGTAXBgNVBAMMEG1hbWdhdGUgdGVzdCBpZHAwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARHwBcisliyiJczFpIvktHhnoShBbTSABpH2uAl
Kg597OF8lwtoE3hKdbDAEov5Bnzt3ptYNGfxUZeKLVVyMnQNo1MwUTAdBgNVHQ4E
FgQUH0hLWdCdbJ9Ir9dviokB+rSMkNIwHwYDVR0jBBgwFoAUH0hLWdCdbJ9Ir9dv
iokB+rSMkNIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA9B1X
CxX+Z2x97X0aanHMkidWCnzqrE96V7kgxE7oQ4cCIQCNCzW9DnLTQTambOlcR7GJ
N6nwCxY7XxifSuyMdutb3A==
-----END CERTIFICATE-----`;

/** The same certificate as Graph's trustedRootCertificate carries it: base64 DER. */
export const TEST_CERT_DER_BASE64 = TEST_CERT_PEM.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/** A point in time when the test certificate is valid. */
export const CERT_VALID_AT = Date.parse('2030-01-01T00:00:00Z');

export function trustedRoots(...certificates: string[]): string {
  return JSON.stringify(
    certificates.map((trustedRootCertificate, i) => ({
      '@odata.type': '#microsoft.graph.iosTrustedRootCertificate',
      id: `root-${i}`,
      displayName: `Contoso Root ${i}`,
      lastModifiedDateTime: '2026-01-01T00:00:00Z',
      trustedRootCertificate,
    })),
  );
}

export function goodAppConfig(): Record<string, unknown> {
  return {
    'com.microsoft.tunnel.connection_type': 'MicrosoftProtect',
    'com.microsoft.tunnel.connection_name': 'mam-tunnel-vpn',
    'com.microsoft.tunnel.site_id': SITE_ID,
    'com.microsoft.tunnel.server_address': 'tunnel.contoso.com:443',
    'com.microsoft.tunnel.trusted_root_certificates': trustedRoots(TEST_CERT_DER_BASE64),
    'com.microsoft.tunnel.proxy_pacurl': 'https://proxy.contoso.com/proxy.pac',
    'com.microsoft.tunnel.custom_configuration': JSON.stringify({ bypassedUrls: ['sts.contoso.com'] }),
    IntuneMAMUPN: '{{userprincipalname}}',
    IntuneMAMOID: '{{userid}}',
  };
}

export function goodServerConfiguration(): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.microsoftTunnelConfiguration',
    id: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
    displayName: 'Contoso MAM tunnel',
    network: '169.254.0.0/16',
    dnsServers: ['10.0.0.53', '10.0.1.53'],
    defaultDomainSuffix: 'corp.contoso.com',
    routeIncludes: ['10.0.0.0/16', '192.168.10.0/24'],
    routeExcludes: ['10.0.200.0/24'],
    splitDNS: ['corp.contoso.com'],
    listenPort: 443,
    disableUdpConnections: false,
    advancedSettings: [],
  };
}

export function goodSite(): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.microsoftTunnelSite',
    id: SITE_ID,
    displayName: 'Contoso site',
    publicAddress: 'tunnel.contoso.com',
    internalNetworkProbeUrl: 'https://intranet.corp.contoso.com/',
    upgradeWindowUtcOffsetInMinutes: 60,
    upgradeWindowStartTime: '01:00:00',
    upgradeWindowEndTime: '03:00:00',
    upgradeAutomatically: true,
  };
}

/** The stored-settings form of the same app configuration (what PUT …/admin/settings takes). */
export function goodTunnelSettings(): Record<string, unknown> {
  return {
    ConnectionType: 'MicrosoftProtect',
    ConnectionName: 'mam-tunnel-vpn',
    SiteId: SITE_ID,
    ServerAddress: 'tunnel.contoso.com:443',
    TrustedRootCertificates: trustedRoots(TEST_CERT_DER_BASE64),
    ProxyPacUrl: 'https://proxy.contoso.com/proxy.pac',
    BypassedUrls: ['sts.contoso.com'],
  };
}
