// A Tunnel Gateway server configuration as Microsoft Graph shapes it (microsoftTunnelConfiguration): table (a)
// rows 1 (IP range), 2 (port), 3 (UDP), 4 (DNS) and 5 (split tunnelling).
import { isSet } from './app-config.ts';
import { type Finding, finding } from './finding.ts';
import {
  type Address,
  addressKind,
  APIPA,
  type Cidr,
  CONTAINER_BRIDGES,
  cidrSize,
  contains,
  formatCidr,
  overlaps,
  parseAddress,
  parseCidr,
} from '../values/ip.ts';
import { isHostName, parsePort } from '../values/parsers.ts';

export type ServerConfiguration = Record<string, unknown>;

/** Include plus exclude rules a server configuration may hold (reference A2; a secondary source). */
export const MAX_SPLIT_TUNNEL_RULES = 500;
export const DEFAULT_LISTEN_PORT = 443;

const field = (name: string, index?: number) => `serverConfiguration.${name}${index === undefined ? '' : `[${index}]`}`;

interface RouteList {
  name: 'routeIncludes' | 'routeExcludes' | 'routesInclude' | 'routesExclude';
  include: boolean;
  entries: { index: number; text: unknown; cidr?: Cidr }[];
}

function routeList(sc: ServerConfiguration, name: RouteList['name'], include: boolean): RouteList | undefined {
  const value = sc[name];
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return {
    name,
    include,
    entries: items.map((text, index) => ({ index, text, cidr: typeof text === 'string' ? parseCidr(text) : undefined })),
  };
}

/** The routes in effect: routeIncludes/routeExcludes, or the deprecated routesInclude/routesExclude when absent. */
export function effectiveRoutes(sc: ServerConfiguration): { includes: RouteList | undefined; excludes: RouteList | undefined } {
  return {
    includes: routeList(sc, 'routeIncludes', true) ?? routeList(sc, 'routesInclude', true),
    excludes: routeList(sc, 'routeExcludes', false) ?? routeList(sc, 'routesExclude', false),
  };
}

/** Split tunnelling is on when any include or exclude route is set. */
export function splitTunnelling(sc: ServerConfiguration): boolean {
  const { includes, excludes } = effectiveRoutes(sc);
  return (includes?.entries.length ?? 0) + (excludes?.entries.length ?? 0) > 0;
}

/** The listen port as the gateway uses it: the configured one, 443 when unset, undefined when invalid. */
export function listenPortOf(sc: ServerConfiguration): number | undefined {
  if (sc.listenPort === undefined || sc.listenPort === null) return DEFAULT_LISTEN_PORT;
  const port = parsePort(sc.listenPort);
  return port.ok ? port.value : undefined;
}

function routeFindings(sc: ServerConfiguration, out: Finding[]): void {
  for (const [name, replacement] of [
    ['routesInclude', 'routeIncludes'],
    ['routesExclude', 'routeExcludes'],
  ] as const) {
    if (!isSet(sc[name])) continue;
    const both = isSet(sc[replacement]);
    out.push(
      finding('warning', 'routes.deprecated', field(name), sc[name], `${name} is deprecated${both ? `, and ${replacement} is also set: ${replacement} wins` : ''}.`, `Move the routes to ${replacement} and remove ${name}.`),
    );
  }
  const effectiveIncludes = effectiveRoutes(sc).includes?.name;
  const lists = (['routeIncludes', 'routeExcludes', 'routesInclude', 'routesExclude'] as const)
    .map((name) => routeList(sc, name, name.includes('nclude')))
    .filter((l): l is RouteList => l !== undefined);
  for (const list of lists) {
    if (!Array.isArray(sc[list.name])) {
      out.push(finding('error', 'routes.cidr', field(list.name), sc[list.name], `${list.name} is not a list of CIDR ranges.`, 'Send a JSON array of CIDR strings, e.g. ["10.0.0.0/8"].'));
      continue;
    }
    for (const entry of list.entries) {
      const where = field(list.name, entry.index);
      if (!entry.cidr) {
        const bare = typeof entry.text === 'string' && parseAddress(entry.text.trim());
        out.push(
          finding('error', 'routes.cidr', where, entry.text, `${JSON.stringify(entry.text)} is not a CIDR range.`, bare ? `Write a single address as ${entry.text}/${bare.family === 4 ? 32 : 128}.` : 'Write the range as address/prefix, e.g. 10.10.0.0/16.'),
        );
        continue;
      }
      if (entry.cidr.first === 0n) {
        out.push(
          finding('error', 'routes.default_route', where, entry.text, `${entry.text} contains ${entry.cidr.family === 4 ? '0.0.0.0' : '::'}; split-tunnel rules must never contain the default route.`, 'Leave routeIncludes empty to send all traffic through the tunnel, or list only your internal ranges.'),
        );
      } else if (entry.cidr.hostBitsSet) {
        out.push(
          finding('warning', 'routes.host_bits', where, entry.text, `${entry.text} has host bits set; the range is ${formatCidr(entry.cidr)}.`, `Write it as ${formatCidr(entry.cidr)}.`),
        );
      }
      if (list.name === effectiveIncludes) {
        for (const bridge of CONTAINER_BRIDGES) {
          if (entry.cidr.first !== 0n && overlaps(entry.cidr, bridge.range)) {
            out.push(
              finding('warning', 'routes.overlap.bridge', where, entry.text, `${entry.text} overlaps ${bridge.name} (${bridge.text}) on the gateway host: traffic for that part is delivered to the local container bridge, not your network.`, `If you have resources in ${bridge.text}, move the container bridge to another range on the gateway host (Docker: "bip" in daemon.json; Podman: the default network in containers.conf).`),
            );
          }
        }
      }
    }
  }
  const { includes, excludes } = effectiveRoutes(sc);
  const total = (includes?.entries.length ?? 0) + (excludes?.entries.length ?? 0);
  if (total > MAX_SPLIT_TUNNEL_RULES) {
    out.push(
      finding('error', 'routes.limit', field(includes?.name ?? 'routeIncludes'), total, `${total} split-tunnel rules are set; include and exclude routes together may hold at most ${MAX_SPLIT_TUNNEL_RULES}.`, 'Summarise adjacent ranges into larger CIDR blocks until include + exclude is 500 or fewer.'),
    );
  }
}

function networkFindings(sc: ServerConfiguration, dns: { index: number; address: Address }[], out: Finding[]): void {
  const value = sc.network;
  if (!isSet(value)) {
    out.push(finding('error', 'network.cidr', field('network'), value ?? null, 'The server configuration has no IPv4 address range for clients (network).', 'Set the IP address range, e.g. 169.254.0.0/16 (APIPA, recommended).'));
    return;
  }
  const network = typeof value === 'string' ? parseCidr(value) : undefined;
  if (!network || network.family !== 4) {
    out.push(finding('error', 'network.cidr', field('network'), value, `The client address range ${JSON.stringify(value)} is not an IPv4 CIDR range.`, 'Write it as address/prefix, e.g. 169.254.0.0/16.'));
    return;
  }
  const text = formatCidr(network);
  if (network.hostBitsSet) {
    out.push(finding('warning', 'network.host_bits', field('network'), value, `${value} has host bits set; the range is ${text}.`, `Write it as ${text}.`));
  }
  if (!(network.prefix >= APIPA.prefix && overlaps(network, APIPA))) {
    out.push(finding('info', 'network.apipa', field('network'), value, `The client range ${text} is not in the APIPA range 169.254.0.0/16, which Microsoft recommends because it never clashes with a corporate network.`, 'Consider 169.254.0.0/16 (or a part of it) unless you need routable client addresses.'));
  }
  if (network.prefix > 24) {
    const clients = Number(cidrSize(network)) - 2;
    out.push(finding('warning', 'network.size', field('network'), value, `The client range ${text} leaves room for ${Math.max(clients, 0)} clients at once.`, 'Use a larger range; a /16 serves a whole gateway (up to 64,000 clients).'));
  } else if (network.prefix < 16) {
    out.push(finding('info', 'network.size', field('network'), value, `The client range ${text} is larger than a gateway server can use: each serves at most 64,000 clients.`, 'A /16 is enough for one server.'));
  }
  for (const bridge of CONTAINER_BRIDGES) {
    if (overlaps(network, bridge.range)) {
      out.push(finding('error', 'network.overlap.bridge', field('network'), value, `The client range ${text} overlaps ${bridge.name} (${bridge.text}) on the gateway host, so client traffic is misrouted.`, `Choose a client range outside ${bridge.text} (169.254.0.0/16 is recommended), or move the container bridge.`));
    }
  }
  const { includes, excludes } = effectiveRoutes(sc);
  for (const list of [includes, excludes]) {
    for (const entry of list?.entries ?? []) {
      if (entry.cidr && entry.cidr.first !== 0n && overlaps(network, entry.cidr)) {
        out.push(finding('error', 'network.overlap.route', field('network'), value, `The client range ${text} overlaps the ${list!.include ? 'included' : 'excluded'} route ${String(entry.text)} (${list!.name}[${entry.index}]): traffic to those addresses loops back to the clients and fails.`, 'Choose a client range that no corporate network uses (169.254.0.0/16 is recommended).'));
      }
    }
  }
  for (const { index, address } of dns) {
    if (contains(network, address)) {
      out.push(finding('error', 'network.overlap.dns', field('network'), value, `DNS server ${String((sc.dnsServers as unknown[])[index])} lies inside the client range ${text}, so clients cannot reach it.`, 'Choose a client range that does not contain your DNS servers.'));
    }
  }
  if (isSet(sc.ipv6Network)) {
    const v6 = typeof sc.ipv6Network === 'string' ? parseCidr(sc.ipv6Network) : undefined;
    if (!v6 || v6.family !== 6) {
      out.push(finding('error', 'network.ipv6_cidr', field('ipv6Network'), sc.ipv6Network, `The IPv6 client range ${JSON.stringify(sc.ipv6Network)} is not an IPv6 CIDR range.`, 'Write it as address/prefix, e.g. fd00:1234::/64, or leave it empty.'));
    }
  }
}

function dnsFindings(sc: ServerConfiguration, out: Finding[]): { index: number; address: Address }[] {
  const value = sc.dnsServers;
  const valid: { index: number; address: Address }[] = [];
  if (!Array.isArray(value) || value.length === 0) {
    out.push(finding('error', 'dns.required', field('dnsServers'), value ?? null, 'The server configuration names no DNS servers for clients.', 'Add the IP addresses of the DNS servers that resolve your internal names.'));
  } else {
    for (const [index, text] of value.entries()) {
      const address = typeof text === 'string' ? parseAddress(text.trim()) : undefined;
      if (!address) {
        out.push(finding('error', 'dns.ip', field('dnsServers', index), text, `DNS server ${JSON.stringify(text)} is not an IP address.`, 'List DNS servers by IP address, e.g. 10.0.0.53.'));
        continue;
      }
      valid.push({ index, address });
      const where = field('dnsServers', index);
      for (const bridge of CONTAINER_BRIDGES) {
        if (contains(bridge.range, address)) {
          out.push(finding('error', 'dns.overlap.bridge', where, text, `DNS server ${text} lies in ${bridge.name} (${bridge.text}) on the gateway host; queries go to the local bridge instead.`, `Use a DNS server outside ${bridge.text}, or move the container bridge.`));
        }
      }
      const { includes, excludes } = effectiveRoutes(sc);
      const internal = addressKind(address) !== 'public';
      const includeRanges = (includes?.entries ?? []).flatMap((e) => (e.cidr ? [e.cidr] : []));
      if (internal && includeRanges.length > 0 && !includeRanges.some((r) => contains(r, address))) {
        out.push(finding('warning', 'dns.route', where, text, `DNS server ${text} is internal, but no included route covers it, so clients cannot reach it through the tunnel.`, `Add a route that contains ${text} to routeIncludes (e.g. ${text}/${address.family === 4 ? 32 : 128}).`));
      }
      const excluded = (excludes?.entries ?? []).find((e) => e.cidr && contains(e.cidr, address));
      if (internal && excluded) {
        out.push(finding('warning', 'dns.route', where, text, `DNS server ${text} is inside the excluded route ${String(excluded.text)}, so clients query it outside the tunnel.`, `Remove ${String(excluded.text)} from the excluded routes or narrow it.`));
      }
    }
  }
  if (isSet(sc.defaultDomainSuffix) && !(typeof sc.defaultDomainSuffix === 'string' && isHostName(sc.defaultDomainSuffix.trim()))) {
    out.push(finding('warning', 'dns.suffix', field('defaultDomainSuffix'), sc.defaultDomainSuffix, `The default domain suffix ${JSON.stringify(sc.defaultDomainSuffix)} is not a domain name.`, 'Set a domain such as corp.contoso.com, or leave it empty.'));
  }
  if (sc.splitDNS !== undefined && sc.splitDNS !== null) {
    const list = Array.isArray(sc.splitDNS) ? sc.splitDNS : [sc.splitDNS];
    for (const [index, domain] of list.entries()) {
      const name = typeof domain === 'string' ? domain.trim().replace(/^\*?\./, '') : '';
      if (!isHostName(name) || !Array.isArray(sc.splitDNS)) {
        out.push(finding('warning', 'dns.split_dns', field('splitDNS', index), domain, `Split DNS entry ${JSON.stringify(domain)} is not a domain name.`, 'List domains such as corp.contoso.com in a JSON array.'));
      }
    }
  }
  return valid;
}

/** Every finding for one server configuration. */
export function serverConfigFindings(sc: ServerConfiguration): Finding[] {
  const out: Finding[] = [];
  const dns = dnsFindings(sc, out);
  networkFindings(sc, dns, out);

  if (sc.listenPort !== undefined && sc.listenPort !== null) {
    const port = parsePort(sc.listenPort);
    if (!port.ok) {
      out.push(finding('error', 'port.range', field('listenPort'), sc.listenPort, `The listen port is not valid: ${port.problem}.`, 'Set a port 1–65535; 443 is the default.'));
    } else if (port.value !== DEFAULT_LISTEN_PORT) {
      const protocols = sc.disableUdpConnections === true ? `TCP ${port.value}` : `TCP ${port.value} and UDP ${port.value}`;
      out.push(finding('info', 'port.custom', field('listenPort'), sc.listenPort, `The gateway listens on ${port.value}, not the default 443.`, `Open ${protocols} inbound on every firewall and load balancer in front of the gateway.`));
    }
  }

  if (sc.disableUdpConnections === true) {
    out.push(finding('warning', 'udp.disabled', field('disableUdpConnections'), true, 'UDP is disabled: the data channel runs over TCP/TLS only (no DTLS), which is slower under load.', 'Disable UDP only once every client is Microsoft Defender or a Tunnel for MAM app; otherwise set disableUdpConnections to false and open UDP on the listen port.'));
  }

  routeFindings(sc, out);
  return out;
}
