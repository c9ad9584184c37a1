// What the directory server says about its own change tracking, read before each sync (rootDSE and one entry):
// - Active Directory (rootDSE supportedCapabilities holds LDAP_CAP_ACTIVE_DIRECTORY_OID): highestCommittedUSN, the
//   USN of the last change this domain controller committed, and the invocationId of its NTDS Settings object
//   (rootDSE dsServiceName): a restored or another DC has another invocationId, and its USNs are not comparable.
//   Not tested against a real AD here (none runs on this machine): only against fake entries at this boundary.
// - OpenLDAP (anything else): the contextCSN values of the naming context holding BaseDn (kept by the syncprov
//   overlay; none without it), one per server id: a value that goes backwards means a restore or a reset.
import type { Entry } from 'ldapts';
import type { ChangeAttribute, EntryReader } from './directory-client.ts';
import { decodeGuidBytes } from './guid.ts';

export const ACTIVE_DIRECTORY_CAPABILITY = '1.2.840.113556.1.4.800';

export type DirectoryKind = 'openldap' | 'active-directory';

export interface ServerState {
  kind: DirectoryKind;
  /** scheme://host:port of the configured URL. */
  server: string;
  /** The naming context that holds BaseDn (lower case), or '' when the rootDSE lists none that does. */
  namingContext: string;
  /** OpenLDAP: contextCSN values, sorted ([] without syncprov). */
  contextCsn: string[];
  /** AD: highestCommittedUSN (decimal) and the DSA's invocationId (GUID). */
  highestCommittedUsn: string | null;
  invocationId: string | null;
}

export function changeAttributeOf(kind: DirectoryKind): ChangeAttribute {
  return kind === 'active-directory' ? 'uSNChanged' : 'entryCSN';
}

function values(entry: Entry | undefined, name: string): (string | Buffer)[] {
  if (!entry) return [];
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (!key) return [];
  const value = entry[key]!;
  return Array.isArray(value) ? value : [value];
}

const text = (value: string | Buffer | undefined) => (value === undefined ? undefined : value.toString());

/** The naming context BaseDn lies in: the longest one it ends with (DNs compared in lower case, spaces after commas dropped). */
function namingContextOf(contexts: string[], baseDn: string): string {
  const norm = (dn: string) => dn.toLowerCase().replace(/,\s+/g, ',').trim();
  const base = norm(baseDn);
  const holding = contexts.map(norm).filter((context) => context !== '' && (base === context || base.endsWith(`,${context}`)));
  return holding.sort((a, b) => b.length - a.length)[0] ?? '';
}

export async function readServerState(reader: EntryReader, server: string, baseDn: string): Promise<ServerState> {
  const root = await reader.readEntry('', ['namingContexts', 'supportedCapabilities', 'highestCommittedUSN', 'dsServiceName']);
  const contexts = values(root, 'namingContexts').map((v) => v.toString());
  const namingContext = namingContextOf(contexts, baseDn);
  const isAd = values(root, 'supportedCapabilities').some((v) => v.toString() === ACTIVE_DIRECTORY_CAPABILITY);
  if (isAd) {
    const dsa = text(values(root, 'dsServiceName')[0]);
    // invocationId is 16 bytes (MS-ADTS 6.1.1.2.2.1.2.1.1): read as bytes, decoded like any GUID.
    const settings = dsa ? await reader.readEntry(dsa, ['invocationId'], ['invocationId', 'invocationid', 'INVOCATIONID']) : undefined;
    const raw = values(settings, 'invocationId')[0];
    return {
      kind: 'active-directory',
      server,
      namingContext,
      contextCsn: [],
      highestCommittedUsn: text(values(root, 'highestCommittedUSN')[0]) ?? null,
      invocationId: raw && typeof raw !== 'string' ? decodeGuidBytes(raw) : null,
    };
  }
  const suffix = namingContext ? await reader.readEntry(namingContext, ['contextCSN']) : undefined;
  return {
    kind: 'openldap',
    server,
    namingContext,
    contextCsn: values(suffix, 'contextCSN').map((v) => v.toString()).sort(),
    highestCommittedUsn: null,
    invocationId: null,
  };
}
