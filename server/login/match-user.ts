// The account an Intune sign-in belongs to when the sign-in statement opened nothing: from the accounts that
// statement read (those holding the token's objectId, the one owning its email), the rules of sign-in-rules.ts —
// the table the identity report predicts from — say which error the sign-in meets, or that a new office365 account
// is created (SAML accounts must already exist). Nothing is read again to find out why.
import { AppError } from '../errors/app-error.ts';
import type { Database } from '../db/connect.ts';
import type { NoAccountSignedIn } from '../db/stores/sign-in-store.ts';
import { UNIQUE_VIOLATION, type UserRow, userStore } from '../db/stores/user-store.ts';
import type { Settings } from '../settings/model.ts';
import type { VerifiedToken } from '../token/verifier.ts';
import { isGuid, normaliseGuid } from '../util/guid.ts';
import { newId } from '../util/secret-token.ts';
import { signInRule } from './sign-in-rules.ts';
import { emailOf, firstFreeUsername, namesOf, usernameBase } from './new-account.ts';

export interface MatchedUser {
  user: UserRow;
  created: boolean;
}

export async function matchUser(db: Database, settings: Settings, token: VerifiedToken, read: NoAccountSignedIn): Promise<MatchedUser> {
  const authService = settings.IntuneSettings.AuthService;
  // objectIds compare in any letter case; two holders are a duplicate the rules refuse.
  const { holders } = read;
  const email = emailOf(token);
  const account = holders[0] ?? read.emailOwner ?? undefined;
  const rule = signInRule({
    protected_service: authService,
    account_service: account ? account.auth_service : null,
    account_object_id: account?.auth_data && isGuid(account.auth_data.trim()) ? normaliseGuid(account.auth_data) : null,
    token_object_id: normaliseGuid(token.oid),
    held_twice: holders.length > 1,
    creation_enabled: settings.IntuneSettings.EnableUserCreation,
    has_email: !!email,
  });
  if (rule.error) {
    throw new AppError(rule.error, {
      params: { Email: email ?? account?.email ?? '', Claim: 'email (or an email-shaped upn / preferred_username)' },
      detailed: account && rule.error === 'ent.intune.login.user_mismatch.app_error' ? `${rule.why} (auth_service "${account.auth_service}")` : rule.why,
    });
  }
  if (account) return { user: account, created: false };
  return createOffice365User(db, authService, token, email!);
}

async function createOffice365User(db: Database, authService: string, token: VerifiedToken, email: string): Promise<MatchedUser> {
  const base = usernameBase(email);
  for (let attempt = 0; attempt < 5; attempt++) {
    const username = firstFreeUsername(base, await userStore.usernamesLike(db, base));
    try {
      const user = await userStore.insert(db, {
        id: newId(),
        username,
        email,
        auth_service: authService,
        auth_data: token.oid,
        ...namesOf(token),
      });
      return { user, created: true };
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      // A concurrent sign-in created this account, or took the username or email: look again.
      const [raced] = await userStore.findByObjectId(db, authService, token.oid);
      if (raced) return { user: raced, created: false };
      if (await userStore.findByEmail(db, email)) {
        throw new AppError('ent.intune.login.user_mismatch.app_error', { params: { Email: email } });
      }
    }
  }
  throw new Error('could not choose a free username');
}
