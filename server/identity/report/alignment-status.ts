// The seed's validation checklist as a rule per user: the Entra objectId must be one value everywhere it is seen
// (the account's auth data, the token oid, SAML objectidentifier, LDAP msDS-aadObjectId). Each status names the
// error the user will meet and what to do. The error is the one Intune sign-in itself would answer, decided by
// the sign-in's own rule table (login/sign-in-rules.ts, evaluated here in SQL); only when sign-in would let the
// user in does a rule name the error met later, at enrollment (EnrollmentFailed for the directory rules).
//
// The rules are written as SQL, evaluated where the sources are: a report classifies 100,000 users in a few
// statements instead of carrying every user to the service and back (which cost several times the whole LDAP
// read). They are listed in order, the first that holds decides; each keeps its status, error and next step
// together. The expressions read the fact columns listed below.
import { entryFor, type ErrorId } from '../../errors/catalogue.ts';
import { SIGN_IN_RULES } from '../../login/sign-in-rules.ts';
import type { AlignmentStatus } from './statuses.ts';

export { ALIGNMENT_STATUSES, type AlignmentStatus } from './statuses.ts';

/** An Entra objectId's shape, any case (POSIX regex, as PostgreSQL reads it). */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

interface Rule {
  name: string;
  /** SQL condition; the rules before it did not hold. */
  when: string;
  status: AlignmentStatus;
  /** The error met after a sign-in that succeeds (at enrollment); the sign-in's own refusal comes first. */
  later_error: ErrorId | null;
  /** SQL text expression. */
  next_step: string;
}

const text = (value: string) => `'${value.replace(/'/g, "''")}'`;
/** The sources that saw an objectId, as `source id` pairs: account, oauth, saml, ldap. */
const SEEN = "concat_ws(', ', 'account ' || account_id, 'oauth ' || oauth_id, 'saml ' || saml_id, 'ldap ' || ldap_id)";
const FIRST_SEEN = 'coalesce(account_id, oauth_id, saml_id, ldap_id)';

// The columns the rules read, per user (the report's statement computes them from the sources):
// - `auth_service`, `account` (the auth data trimmed, null when empty), `entra` (the auth service is office365 or
//   saml, whose auth data is an Entra objectId when identities are aligned);
// - `account_id`, `oauth_id`, `saml_id`, `ldap_id`: each source's objectId trimmed and in lower case, null when
//   the source has none (`account_id` only for an Entra account);
// - `ldap_raw` (the directory's value as read), `in_directory` (a directory entry matches the account);
// - `duplicate_source`, `duplicate_id`: the first of account, oauth, saml, ldap whose objectId another account
//   also claims;
// - `ldap_enabled` (LdapSettings.Enable).
const RULES: Rule[] = [
  {
    name: 'account_not_an_object_id',
    when: `entra and account is not null and account !~ ${text(GUID_PATTERN)}`,
    status: 'unsupported_attribute',
    later_error: null, // sign-in refuses first (sign-in-rules.ts)
    next_step: `${text(`The account's auth data "`)} || left(account, 80) || ${text('" is not an Entra objectId (it was provisioned with an unsupported IdAttribute such as email or UPN): set it to the user\'s objectId and map ')}
      || case when auth_service = 'saml' then 'SamlSettings.IdAttribute to objectidentifier' else 'IdAttribute to objectId' end || '.'`,
  },
  {
    name: 'directory_value_not_a_guid',
    when: "coalesce(ldap_raw, '') <> '' and ldap_id is null",
    status: 'unsupported_attribute',
    later_error: 'ent.intune.enrollment.failed.app_error',
    next_step: `${text(`The directory's id attribute holds "`)} || left(ldap_raw, 80) || ${text('", which is not a GUID: read msDS-aadObjectId, never objectGUID.')}`,
  },
  {
    name: 'object_id_claimed_twice',
    when: 'duplicate_id is not null',
    status: 'duplicate_object_id',
    later_error: null,
    next_step: `'The objectId ' || duplicate_id || ' (from ' || duplicate_source || ${text(') also belongs to another account: keep it on one account only (merge or correct the other).')}`,
  },
  {
    name: 'not_in_directory',
    when: 'ldap_enabled and not in_directory',
    status: 'not_in_directory',
    later_error: 'ent.intune.enrollment.failed.app_error',
    next_step: text(
      'No directory entry matches this account (by email, then username): add the user to the synced subtree and UserFilter, or correct EmailAttribute/UsernameAttribute.',
    ),
  },
  {
    name: 'sources_disagree',
    // Some source's objectId differs from the first one seen (the account's when it has one).
    when: `coalesce(oauth_id <> ${FIRST_SEEN} or saml_id <> ${FIRST_SEEN} or ldap_id <> ${FIRST_SEEN}, false)`,
    status: 'mismatch',
    later_error: null,
    next_step: `'The sources disagree (' || ${SEEN} || ${text("): the Entra objectId is authoritative; correct the account's auth data and the IdP/directory mapping so all resolve to it.")}`,
  },
  {
    name: 'no_entra_auth_service',
    when: 'not entra',
    status: 'missing_source',
    later_error: null,
    next_step: `'This account signs in with "' || coalesce(nullif(auth_service, ''), 'email') || ${text('", which carries no Entra objectId, so Intune MAM cannot protect it; move it to office365 or saml to protect it.')}`,
  },
  {
    name: 'no_auth_data',
    when: 'account is null',
    status: 'missing_source',
    later_error: null,
    next_step: text("The account has no auth data: set it to the user's Entra objectId (the token's oid)."),
  },
  {
    name: 'no_directory_object_id',
    when: 'ldap_enabled and ldap_id is null',
    status: 'missing_source',
    later_error: 'ent.intune.enrollment.failed.app_error',
    next_step: text(
      "The user's directory entry has no msDS-aadObjectId: check that Entra Domain Services synchronises the user, and that LdapSettings.IdAttribute is msDS-aadObjectId.",
    ),
  },
  {
    name: 'aligned',
    when: 'true',
    status: 'aligned',
    later_error: null,
    next_step: text('Nothing to do: every source resolves to the same objectId.'),
  },
];

const nullable = (value: string | null) => (value === null ? 'null' : text(value));

// The statement that embeds these runs with bindings: a '?' or a ':name' in a literal would be taken for one.
for (const rule of RULES) {
  if (/\?|(?<!:):[A-Za-z_]/.test(rule.when + rule.next_step)) throw new Error(`alignment rule ${rule.name}: a literal reads as a binding`);
}

/**
 * SQL select-list items `rule, status, error_id, mam_error, next_step` over a relation with the fact columns;
 * `rule` (and `sign_in_error`) must be computed a level below the others (`ruleSql` and `signInErrorSql` first,
 * then `outcomeSql` over their result).
 */
export const ruleSql = `case ${RULES.map((rule) => `when ${rule.when} then ${text(rule.name)}`).join(' ')} end as rule`;

/** SQL: the error id the sign-in meets, over the sign-in facts' columns (login/sign-in-rules.ts). */
export const signInErrorSql = `case ${SIGN_IN_RULES.map((rule) => `when ${rule.sql} then ${nullable(rule.error)}`).join(' ')} end as sign_in_error`;

const ERROR_IDS = [...new Set([...SIGN_IN_RULES.map((r) => r.error), ...RULES.map((r) => r.later_error)])].filter((id): id is ErrorId => id !== null);
/** SQL: the catalogue's MAM error row of an error id. */
const mamErrorOf = (errorId: string) => `case ${errorId} ${ERROR_IDS.map((id) => `when ${text(id)} then ${nullable(entryFor(id).mam_error ?? null)}`).join(' ')} end`;
/** SQL: the error met — the sign-in's refusal, else the rule's later error. */
const ERROR_MET = `coalesce(sign_in_error, case rule ${RULES.map((rule) => `when ${text(rule.name)} then ${nullable(rule.later_error)}`).join(' ')} end)`;

/** Select-list items `status, error_id, mam_error, next_step` over a level that has `rule` and `sign_in_error`. */
export const outcomeSql = [
  `case rule ${RULES.map((rule) => `when ${text(rule.name)} then ${text(rule.status)}`).join(' ')} end as status`,
  `${ERROR_MET} as error_id`,
  `${mamErrorOf(ERROR_MET)} as mam_error`,
  `case rule ${RULES.map((rule) => `when ${text(rule.name)} then ${rule.next_step}`).join(' ')} end as next_step`,
].join(',\n');
