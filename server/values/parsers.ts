// Parsers for the values a tunnel configuration is made of. Shared by the save-time settings rules
// (server/settings/rules.ts) and the validator, so both read a value the same way.
import { X509Certificate } from 'node:crypto';
import { type Address, parseAddress } from './ip.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A DNS name of at least two labels whose last label is not all digits (so "10.0.0.300" is no name). */
export function isFqdn(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!);
}

/** A single-label or dotted host name (proxy hosts may be short names on the corporate network). */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => LABEL.test(l)) && !/^[\d.]+$/.test(name);
}

export interface HostPort {
  host: string;
  /** The host as an IP address, when it is one. */
  address?: Address;
  port: number;
}

export function parsePort(value: unknown): Parsed<number> {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) return { ok: false, problem: 'the port is not a whole number' };
  if (n < 1 || n > 65535) return { ok: false, problem: `port ${n} is outside 1–65535` };
  return { ok: true, value: n };
}

/**
 * "host:port" as com.microsoft.tunnel.server_address carries it: an FQDN, host name or IPv4 address, or an IPv6
 * address in brackets, then a colon and a port 1–65535.
 */
export function parseServerAddress(text: string): Parsed<HostPort> {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  const plain = /^([^:\s[\]]+):(\d+)$/.exec(value);
  const match = bracketed ?? plain;
  if (!match) {
    if (/^[^:\s]+$/.test(value)) return { ok: false, problem: 'there is no port (write host:port, e.g. tunnel.contoso.com:443)' };
    return { ok: false, problem: 'it is not host:port (IPv6 addresses go in brackets: [2001:db8::1]:443)' };
  }
  const host = match[1]!;
  const port = parsePort(Number(match[2]));
  if (!port.ok) return port;
  const address = parseAddress(host);
  if (bracketed && address?.family !== 6) return { ok: false, problem: `"${host}" in brackets is not an IPv6 address` };
  if (!address && !isHostName(host)) return { ok: false, problem: `"${host}" is not a host name or IP address` };
  return { ok: true, value: { host, address, port: port.value } };
}

export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** A certificate as PEM text, base64 DER, or base64 of PEM text (the SDK accepts DER or PEM). */
export function decodeCertificate(text: string): X509Certificate | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  try {
    if (value.includes('-----BEGIN')) return new X509Certificate(value);
    if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
    const bytes = Buffer.from(value.replace(/\s+/g, ''), 'base64');
    const asText = bytes.toString('latin1');
    return new X509Certificate(asText.includes('-----BEGIN CERTIFICATE-----') ? asText : bytes);
  } catch {
    return undefined;
  }
}

export interface TrustedRoot {
  index: number;
  displayName: string;
  certificate: X509Certificate;
}

/**
 * com.microsoft.tunnel.trusted_root_certificates: a string holding a JSON array of trusted-root profile objects,
 * each with trustedRootCertificate (base64 DER or PEM). An already-parsed array is taken as it is.
 */
export function parseTrustedRoots(input: unknown): Parsed<TrustedRoot[]> {
  let list: unknown = input;
  if (typeof input === 'string') {
    try {
      list = JSON.parse(input);
    } catch {
      return { ok: false, problem: 'it is not valid JSON (expected a JSON array of trusted-root profiles)' };
    }
  }
  if (!Array.isArray(list)) return { ok: false, problem: 'it is not a JSON array of trusted-root profiles' };
  if (list.length === 0) return { ok: false, problem: 'the array is empty' };
  const roots: TrustedRoot[] = [];
  for (const [index, entry] of list.entries()) {
    const profile = entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
    const encoded = profile?.trustedRootCertificate;
    if (typeof encoded !== 'string' || encoded.trim() === '') {
      return { ok: false, problem: `entry ${index} has no trustedRootCertificate (base64 certificate)` };
    }
    const certificate = decodeCertificate(encoded);
    if (!certificate) return { ok: false, problem: `entry ${index}'s trustedRootCertificate is not a DER or PEM X.509 certificate` };
    const displayName = typeof profile?.displayName === 'string' ? profile.displayName : '';
    roots.push({ index, displayName, certificate });
  }
  return { ok: true, value: roots };
}

/** Graph TimeOfDay ("HH:MM:SS", "HH:MM:SS.fffffff"; "HH:MM" too) as minutes after midnight. */
export function parseTimeOfDay(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/.exec(value.trim());
  if (!match) return undefined;
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (h > 23 || m > 59 || s > 59) return undefined;
  return h * 60 + m + s / 60;
}

/** A bypassed URL entry: a host name (wildcards as *.domain), or an http(s) URL. */
export function isBypassEntry(text: string): boolean {
  const value = text.trim();
  if (value === '') return false;
  if (/^https?:\/\//i.test(value)) return isHttpUrl(value);
  const host = value.startsWith('*.') ? value.slice(2) : value;
  return isHostName(host) || parseAddress(host) !== undefined;
}
