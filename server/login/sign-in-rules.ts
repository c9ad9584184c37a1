// The error an Intune sign-in meets, decided from the account and the token — by sign-in itself (matchUser) and by
// the identity report, which predicts it per user (the report evaluates this same table in SQL, over columns named
// as the facts below). The rules are in order, the first that holds decides.
import type { ErrorId } from '../errors/catalogue.ts';

export interface SignInFacts {
  /** IntuneSettings.AuthService: the provider whose accounts Intune sign-in matches. */
  protected_service: string;
  /** The account met: the one holding the token's objectId, else the one owning the token's email; null: none. */
  account_service: string | null;
  /** That account's auth data as an objectId (lower case); null when empty or not a GUID. */
  account_object_id: string | null;
  /** The token's oid (lower case). */
  token_object_id: string | null;
  /** Two accounts of the protected provider hold the token's objectId (their auth data differ only by case). */
  held_twice: boolean;
  /** IntuneSettings.EnableUserCreation. */
  creation_enabled: boolean;
  /** The token carries an email (or an email-shaped upn / preferred_username). */
  has_email: boolean;
}

export interface SignInRule {
  name: string;
  /** The rule in SQL, over columns named as the facts; written to agree with `holds` (null never holds). */
  sql: string;
  holds(facts: SignInFacts): boolean;
  /** null: the sign-in goes on (to the account, or to a new one). */
  error: ErrorId | null;
  why: string;
}

export const SIGN_IN_RULES: readonly SignInRule[] = [
  {
    name: 'object_id_held_twice',
    sql: 'held_twice',
    holds: (f) => f.held_twice,
    error: 'ent.intune.login.user_mismatch.app_error',
    why: 'two accounts hold this objectId (their auth data differ only by letter case); neither is chosen',
  },
  {
    name: 'account_holds_object_id',
    sql: 'account_service = protected_service and account_object_id = token_object_id',
    holds: (f) => f.account_service === f.protected_service && f.account_object_id !== null && f.account_object_id === f.token_object_id,
    error: null,
    why: "the account's auth data is the token's objectId",
  },
  {
    name: 'saml_account_missing',
    sql: "protected_service = 'saml'",
    holds: (f) => f.protected_service === 'saml',
    error: 'ent.intune.login.account_not_found.app_error',
    why: 'no saml account has this objectId (SAML accounts are matched by objectId only, never created here)',
  },
  {
    name: 'email_owned_by_another_account',
    sql: 'account_service is not null',
    holds: (f) => f.account_service !== null,
    error: 'ent.intune.login.user_mismatch.app_error',
    why: 'the account owning this email has another auth service or auth data that is not this objectId',
  },
  {
    name: 'creation_off',
    sql: 'not creation_enabled',
    holds: (f) => !f.creation_enabled,
    error: 'ent.intune.login.account_not_found.app_error',
    why: 'no office365 account has this objectId and IntuneSettings.EnableUserCreation is off',
  },
  {
    name: 'no_email_for_new_account',
    sql: 'not has_email',
    holds: (f) => !f.has_email,
    error: 'ent.intune.validate_token.missing_claims.app_error',
    why: 'a new account needs an email',
  },
  { name: 'new_account', sql: 'true', holds: () => true, error: null, why: 'a new office365 account is created' },
];

/** The first rule that holds for these facts. */
export function signInRule(facts: SignInFacts): SignInRule {
  return SIGN_IN_RULES.find((rule) => rule.holds(facts))!;
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** SQL text expression: the error id the sign-in meets (null: none), over columns named as the facts. */
export const signInErrorSql = `case ${SIGN_IN_RULES.map((rule) => `when ${rule.sql} then ${rule.error ? literal(rule.error) : 'null'}`).join(' ')} end`;
