// One user's directory entry, by email and/or username, for the preflight. Every value goes through escapeFilter,
// so input such as `*)(uid=*` is matched literally and finds nothing extra.
import type { LdapSettings } from '../../settings/model.ts';
import { DirectoryClient, type DirectoryRecord, type DirectoryTimeouts, directoryConfig, escapeFilter } from './directory-client.ts';

export interface LookupQuery {
  email?: string;
  username?: string;
}

/** More than one match means the directory is ambiguous for this user; a few are enough to say so. */
const LOOKUP_LIMIT = 5;

/** The filter for a lookup: `(&UserFilter(|(EmailAttribute=email)(UsernameAttribute=username)))`, values escaped. */
export function lookupFilter(userFilter: string, settings: Pick<LdapSettings, 'EmailAttribute' | 'UsernameAttribute'>, query: LookupQuery): string {
  const parts: string[] = [];
  // Attribute names come from validated settings (directoryConfig); only the values come from outside.
  if (query.email) parts.push(`(${settings.EmailAttribute}=${escapeFilter`${query.email.trim()}`})`);
  if (query.username) parts.push(`(${settings.UsernameAttribute}=${escapeFilter`${query.username.trim()}`})`);
  return `(&${userFilter}(|${parts.join('')}))`;
}

/** The entries for one user (email matches first, then username matches); empty when none matches. */
export async function lookupDirectoryUser(
  settings: LdapSettings,
  query: LookupQuery,
  options: { timeouts?: Partial<DirectoryTimeouts>; requireEnabled?: boolean } = {},
): Promise<DirectoryRecord[]> {
  if (!query.email?.trim() && !query.username?.trim()) return [];
  const config = directoryConfig(settings, { requireEnabled: options.requireEnabled });
  const directory = await DirectoryClient.open(config, options.timeouts);
  try {
    const records = await directory.find(lookupFilter(config.userFilter, settings, query), LOOKUP_LIMIT);
    const email = query.email?.trim().toLowerCase();
    const byEmail = (r: DirectoryRecord) => (email && r.emails.some((e) => e.trim().toLowerCase() === email) ? 0 : 1);
    return records.sort((a, b) => byEmail(a) - byEmail(b));
  } finally {
    await directory.close();
  }
}
