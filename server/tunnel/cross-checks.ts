// The app-configuration values against the gateway they point to: table (a) row 11 (site_id = site.id,
// server_address = publicAddress:listenPort) and row 6 (an explicit proxy with split tunnelling on iOS MAM).
import { type TunnelAppConfig, isSet } from './app-config.ts';
import { type Finding, finding } from './finding.ts';
import { parseAddress } from '../values/ip.ts';
import { listenPortOf, type ServerConfiguration, splitTunnelling } from './server-config.ts';
import type { Site } from './site.ts';
import { parseServerAddress } from '../values/parsers.ts';

function sameHost(a: string, b: string): boolean {
  const [x, y] = [parseAddress(a), parseAddress(b)];
  if (x || y) return Boolean(x && y && x.family === y.family && x.value === y.value);
  const norm = (h: string) => h.trim().toLowerCase().replace(/\.$/, '');
  return norm(a) === norm(b);
}

function hostPort(host: string, port: number | string): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function crossFindings(config: TunnelAppConfig | undefined, sc: ServerConfiguration | undefined, site: Site | undefined): Finding[] {
  const out: Finding[] = [];
  if (!config) return out;
  const { values, fields } = config;

  const siteId = typeof values.siteId === 'string' ? values.siteId.trim() : undefined;
  if (site && siteId && typeof site.id === 'string' && site.id.trim() !== '' && siteId.toLowerCase() !== site.id.trim().toLowerCase()) {
    out.push(
      finding('error', 'match.site_id', fields.siteId, values.siteId, `${fields.siteId} is ${siteId}, but the site's id is ${site.id}: clients would look for another site.`, `Set ${fields.siteId} to ${site.id}.`),
    );
  }

  const address = typeof values.serverAddress === 'string' ? parseServerAddress(values.serverAddress) : undefined;
  const publicAddress = typeof site?.publicAddress === 'string' ? site.publicAddress.trim() : '';
  if (address?.ok && (publicAddress || sc)) {
    const port = sc ? listenPortOf(sc) : undefined;
    const hostDiffers = publicAddress !== '' && !sameHost(address.value.host, publicAddress);
    const portDiffers = port !== undefined && port !== address.value.port;
    if (hostDiffers || portDiffers) {
      const expected = hostPort(publicAddress || address.value.host, port ?? address.value.port);
      out.push(
        finding('error', 'match.server_address', fields.serverAddress, values.serverAddress, `${fields.serverAddress} must be the site's publicAddress and the server configuration's listenPort (${expected}), but it is ${String(values.serverAddress)}.`, `Set ${fields.serverAddress} to ${expected}.`),
      );
    }
  }

  const explicitProxy = isSet(values.proxyAddress) || (isSet(values.proxyPort) && values.proxyPort !== -1);
  if (sc && explicitProxy && splitTunnelling(sc)) {
    out.push(
      finding('error', 'proxy.split_tunnel', fields.proxyAddress, values.proxyAddress ?? values.proxyPort, 'An explicit proxy (address and port) cannot be combined with split tunnelling in Tunnel for MAM on iOS; a PAC URL can.', `Replace ${fields.proxyAddress}/${fields.proxyPort} with a PAC URL (${fields.proxyPacUrl}), or remove the include/exclude routes.`),
    );
  }
  return out;
}
