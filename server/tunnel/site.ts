// A Tunnel Gateway site as Microsoft Graph shapes it (microsoftTunnelSite): table (a) rows 7 (public address),
// 8 (probe URL), 9 (upgrade window) and the site id of row 11.
import { isGuid } from '../util/guid.ts';
import { isSet } from './app-config.ts';
import { type Finding, finding } from './finding.ts';
import { addressKind, parseAddress } from '../values/ip.ts';
import { isFqdn, isHttpUrl, parseTimeOfDay } from '../values/parsers.ts';

export type Site = Record<string, unknown>;

/** Suffixes that never resolve in public DNS. */
const NON_PUBLIC_SUFFIXES = ['local', 'localhost', 'internal', 'lan', 'home.arpa', 'test', 'invalid', 'example', 'intranet', 'corp'];

const field = (name: string) => `site.${name}`;

function publicAddressFindings(value: unknown, out: Finding[]): void {
  const where = field('publicAddress');
  if (!isSet(value) || typeof value !== 'string') {
    out.push(finding('error', 'site.public_address', where, value ?? null, 'The site has no public address.', "Set the site's public IP address or FQDN (the load balancer's, if there is one)."));
    return;
  }
  const text = value.trim();
  const address = parseAddress(text);
  if (address) {
    const kind = addressKind(address);
    if (kind !== 'public') {
      out.push(finding('error', 'site.public_address', where, value, `The public address ${text} is a ${kind} address; devices on the internet cannot reach it.`, 'Use the public IP address or FQDN that devices reach from the internet (NAT or load balancer address).'));
    }
    return;
  }
  if (/^[^:]+:\d+$/.test(text) || /^https?:\/\//i.test(text)) {
    out.push(finding('error', 'site.public_address', where, value, `The public address ${text} carries a scheme or port; it is a host name or IP address only.`, "Remove the scheme and port; the port is the server configuration's listenPort."));
    return;
  }
  if (!isFqdn(text)) {
    out.push(finding('error', 'site.public_address', where, value, `The public address ${text} is neither an IP address nor a fully qualified domain name.`, 'Use a public FQDN such as tunnel.contoso.com, or a public IP address.'));
    return;
  }
  const name = text.toLowerCase().replace(/\.$/, '');
  const suffix = NON_PUBLIC_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  if (suffix) {
    out.push(finding('warning', 'site.public_address_resolvable', where, value, `The public address ${text} ends in .${suffix}, which does not resolve in public DNS.`, 'Use a name registered in public DNS that resolves to a routable address (and is in the TLS certificate).'));
  }
}

function upgradeWindowFindings(site: Site, out: Finding[]): void {
  const start = site.upgradeWindowStartTime;
  const end = site.upgradeWindowEndTime;
  if (!isSet(start) && !isSet(end)) return;
  const where = field(isSet(start) ? 'upgradeWindowEndTime' : 'upgradeWindowStartTime');
  if (!isSet(start) || !isSet(end)) {
    out.push(finding('error', 'site.upgrade_window', where, start ?? end, 'The upgrade window has only one end.', 'Set both upgradeWindowStartTime and upgradeWindowEndTime (at least one hour apart), or neither.'));
    return;
  }
  const from = parseTimeOfDay(start);
  const to = parseTimeOfDay(end);
  if (from === undefined || to === undefined) {
    const bad = from === undefined ? 'upgradeWindowStartTime' : 'upgradeWindowEndTime';
    out.push(finding('error', 'site.upgrade_window', field(bad), site[bad], `${bad} is not a time of day (HH:MM:SS).`, 'Write times as HH:MM:SS, e.g. 01:00:00.'));
    return;
  }
  const minutes = (to - from + 1440) % 1440;
  if (minutes < 60) {
    out.push(finding('error', 'site.upgrade_window', field('upgradeWindowEndTime'), { start, end }, `The upgrade window ${String(start)}–${String(end)} lasts ${Math.round(minutes)} minutes; it must be at least one hour.`, 'Move upgradeWindowEndTime at least one hour after upgradeWindowStartTime.'));
  }
}

/** Every finding for one site. */
export function siteFindings(site: Site): Finding[] {
  const out: Finding[] = [];
  if (isSet(site.id) && !(typeof site.id === 'string' && isGuid(site.id.trim()))) {
    out.push(finding('error', 'site.id', field('id'), site.id, 'The site id is not a GUID.', 'Copy the site object from GET /deviceManagement/microsoftTunnelSites as it is.'));
  }
  publicAddressFindings(site.publicAddress, out);
  const probe = site.internalNetworkProbeUrl;
  if (isSet(probe) && !(typeof probe === 'string' && isHttpUrl(probe.trim()))) {
    out.push(finding('error', 'site.probe_url', field('internalNetworkProbeUrl'), probe, 'The internal network access probe URL is not an http(s) URL.', 'Set an http:// or https:// URL of an internal web server the gateway probes every 5 minutes, or leave it empty.'));
  }
  upgradeWindowFindings(site, out);
  return out;
}
