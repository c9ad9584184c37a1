// A quick look at the directory for the preflight: can we reach it, does the service account bind, and do the
// first entries carry the id attribute as a GUID? objectGUID is counted only to say it is there and not used.
import type { ErrorId } from '../../errors/catalogue.ts';
import { toAppError } from '../../errors/classify.ts';
import type { LdapSettings } from '../../settings/model.ts';
import { DirectoryClient, type DirectoryTimeouts, directoryConfig, MAX_PAGE_SIZE, OBJECT_GUID_ATTRIBUTE } from './directory-client.ts';

export interface ProbeFindings {
  server: string;
  bindDn: string;
  /** A connection was made (a bind refusal still means the server answered). */
  reachable: boolean;
  bound: boolean;
  /** The sample search ran. */
  searched: boolean;
  idAttribute: string;
  /** True only when IdAttribute names objectGUID, which is then refused: it identifies the managed-domain object, never the Entra object. */
  objectGuidUsedAsId: boolean;
  sample: {
    entries: number;
    /** Entries whose id attribute holds a GUID, by how it arrived. */
    withGuid: { string: number; binary: number };
    /** Entries with the id attribute whose value is not a GUID. */
    notGuid: number;
    /** Entries without the id attribute. */
    missing: number;
    /** Entries that carry objectGUID (read, never used). */
    withObjectGuid: number;
    /** Up to 5 DNs of entries without a usable id, to look at. */
    examples: string[];
  };
  /** The catalogue error that stopped the probe, if any. */
  error: { id: ErrorId; message: string } | null;
}

/** Connects, binds and reads up to `sampleSize` entries (at most 1000). Never throws for LDAP problems. */
export async function probeDirectory(
  settings: LdapSettings,
  options: { sampleSize?: number; timeouts?: Partial<DirectoryTimeouts> } = {},
): Promise<ProbeFindings> {
  const findings: ProbeFindings = {
    server: '',
    bindDn: settings.BindDn,
    reachable: false,
    bound: false,
    searched: false,
    idAttribute: settings.IdAttribute,
    objectGuidUsedAsId: settings.IdAttribute.toLowerCase() === OBJECT_GUID_ATTRIBUTE.toLowerCase(),
    sample: { entries: 0, withGuid: { string: 0, binary: 0 }, notGuid: 0, missing: 0, withObjectGuid: 0, examples: [] },
    error: null,
  };
  let directory: DirectoryClient | undefined;
  try {
    const config = directoryConfig(settings, { requireEnabled: false });
    findings.server = config.server;
    directory = await DirectoryClient.open(config, options.timeouts);
    findings.reachable = true;
    findings.bound = true;
    const sampleSize = Math.min(Math.max(options.sampleSize ?? 100, 1), MAX_PAGE_SIZE);
    const records = await directory.find(directory.userFilter(), sampleSize, { withObjectGuid: true });
    findings.searched = true;
    for (const record of records) {
      findings.sample.entries += 1;
      if (record.objectGuid) findings.sample.withObjectGuid += 1;
      if (record.id?.objectId) findings.sample.withGuid[record.id.encoding] += 1;
      else {
        if (record.id) findings.sample.notGuid += 1;
        else findings.sample.missing += 1;
        if (findings.sample.examples.length < 5) findings.sample.examples.push(record.dn);
      }
    }
  } catch (error) {
    const appError = toAppError(error);
    findings.error = { id: appError.id, message: appError.message };
    // Only a refused bind or a failed search proves the server answered.
    if (appError.id === 'mamgate.ldap.bind_failed.app_error') findings.reachable = true;
    if (appError.id === 'mamgate.ldap.search_failed.app_error' && findings.bound) findings.reachable = true;
  } finally {
    await directory?.close();
  }
  return findings;
}
