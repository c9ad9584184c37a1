// The seed's validation checklist as a rule per user: the Entra objectId must be one value everywhere it is seen
// (the account's auth data, the token oid, SAML objectidentifier, LDAP msDS-aadObjectId). Each status names the
// error the user will meet and what to do.
import type { ErrorId, MamError } from '../../errors/catalogue.ts';
import { isGuid, normaliseGuid } from '../../util/guid.ts';

import type { AlignmentStatus } from './statuses.ts';

export { ALIGNMENT_STATUSES, type AlignmentStatus } from './statuses.ts';

/** Auth services whose auth data is an Entra objectId when identities are aligned. */
const ENTRA_SERVICES = new Set(['office365', 'saml']);

export interface UserSources {
  auth_service: string;
  auth_data: string | null;
  oauth_object_id: string | null;
  saml_object_id: string | null;
  /** The LDAP value as read, when the user's directory entry was found. */
  ldap_object_id: string | null;
  ldap_raw_value: string | null;
  in_directory: boolean;
}

export interface AlignmentContext {
  ldapEnabled: boolean;
  /** Objectids (lower case) claimed by more than one account. */
  duplicateIds: ReadonlySet<string>;
}

export interface Alignment {
  status: AlignmentStatus;
  error_id: ErrorId | null;
  mam_error: MamError | null;
  next_step: string;
}

function result(status: AlignmentStatus, error_id: ErrorId | null, mam_error: MamError | null, next_step: string): Alignment {
  return { status, error_id, mam_error, next_step };
}

export function classifyAlignment(user: UserSources, context: AlignmentContext): Alignment {
  const entraAccount = ENTRA_SERVICES.has(user.auth_service);
  const account = user.auth_data?.trim() || null;

  if (entraAccount && account && !isGuid(account)) {
    return result(
      'unsupported_attribute',
      'ent.intune.login.account_not_found.app_error',
      'MissingAuthAccountError',
      `The account's auth data "${account.slice(0, 80)}" is not an Entra objectId (it was provisioned with an unsupported IdAttribute such as email or UPN): set it to the user's objectId and map ${user.auth_service === 'saml' ? 'SamlSettings.IdAttribute to objectidentifier' : 'IdAttribute to objectId'}.`,
    );
  }
  if (user.ldap_raw_value && !user.ldap_object_id) {
    return result(
      'unsupported_attribute',
      'ent.intune.enrollment.failed.app_error',
      'EnrollmentFailed',
      `The directory's id attribute holds "${user.ldap_raw_value.slice(0, 80)}", which is not a GUID: read msDS-aadObjectId, never objectGUID.`,
    );
  }

  const seen: [string, string][] = [];
  if (entraAccount && account) seen.push(['account', normaliseGuid(account)]);
  if (user.oauth_object_id) seen.push(['oauth', normaliseGuid(user.oauth_object_id)]);
  if (user.saml_object_id) seen.push(['saml', normaliseGuid(user.saml_object_id)]);
  if (user.ldap_object_id) seen.push(['ldap', normaliseGuid(user.ldap_object_id)]);

  const duplicate = seen.find(([, id]) => context.duplicateIds.has(id));
  if (duplicate) {
    return result(
      'duplicate_object_id',
      'ent.intune.login.user_mismatch.app_error',
      'UserMismatch',
      `The objectId ${duplicate[1]} (from ${duplicate[0]}) also belongs to another account: keep it on one account only (merge or correct the other).`,
    );
  }
  if (context.ldapEnabled && !user.in_directory) {
    return result(
      'not_in_directory',
      'ent.intune.enrollment.failed.app_error',
      'EnrollmentFailed',
      'No directory entry matches this account (by email, then username): add the user to the synced subtree and UserFilter, or correct EmailAttribute/UsernameAttribute.',
    );
  }
  const distinct = new Set(seen.map(([, id]) => id));
  if (distinct.size > 1) {
    const detail = seen.map(([source, id]) => `${source} ${id}`).join(', ');
    return result(
      'mismatch',
      'ent.intune.login.user_mismatch.app_error',
      'UserMismatch',
      `The sources disagree (${detail}): the Entra objectId is authoritative; correct the account's auth data and the IdP/directory mapping so all resolve to it.`,
    );
  }
  if (!entraAccount) {
    return result(
      'missing_source',
      null,
      null,
      `This account signs in with "${user.auth_service || 'email'}", which carries no Entra objectId, so Intune MAM cannot protect it; move it to office365 or saml to protect it.`,
    );
  }
  if (!account) {
    return result(
      'missing_source',
      'ent.intune.login.account_not_found.app_error',
      'MissingAuthAccountError',
      "The account has no auth data: set it to the user's Entra objectId (the token's oid).",
    );
  }
  if (context.ldapEnabled && !user.ldap_object_id) {
    return result(
      'missing_source',
      'ent.intune.enrollment.failed.app_error',
      'EnrollmentFailed',
      "The user's directory entry has no msDS-aadObjectId: check that Entra Domain Services synchronises the user, and that LdapSettings.IdAttribute is msDS-aadObjectId.",
    );
  }
  return result('aligned', null, null, 'Nothing to do: every source resolves to the same objectId.');
}
