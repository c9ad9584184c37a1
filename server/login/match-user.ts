// Finds the account an Intune sign-in belongs to: the one whose auth data is the token's objectId under the
// protected provider. office365 accounts may be created; SAML accounts must already exist.
import { AppError } from '../errors/app-error.ts';
import type { Database } from '../db/connect.ts';
import { UNIQUE_VIOLATION, type UserRow, userStore } from '../db/stores/user-store.ts';
import type { Settings } from '../settings/model.ts';
import type { VerifiedToken } from '../token/verifier.ts';
import { newId } from '../util/secret-token.ts';
import { emailOf, firstFreeUsername, namesOf, usernameBase } from './new-account.ts';

export interface MatchedUser {
  user: UserRow;
  created: boolean;
}

export async function matchUser(db: Database, settings: Settings, token: VerifiedToken): Promise<MatchedUser> {
  const authService = settings.IntuneSettings.AuthService;
  const existing = await userStore.findByAuth(db, authService, token.oid);
  if (existing) return { user: existing, created: false };
  if (authService === 'saml') {
    throw new AppError('ent.intune.login.account_not_found.app_error', { detailed: 'no saml account has this objectId' });
  }
  const email = emailOf(token);
  if (email) {
    const owner = await userStore.findByEmail(db, email);
    if (owner) {
      throw new AppError('ent.intune.login.user_mismatch.app_error', {
        params: { Email: email },
        detailed: `the account owning this email has auth_service "${owner.auth_service}" and another objectId`,
      });
    }
  }
  if (!settings.IntuneSettings.EnableUserCreation) {
    throw new AppError('ent.intune.login.account_not_found.app_error', {
      detailed: 'no office365 account has this objectId and IntuneSettings.EnableUserCreation is off',
    });
  }
  if (!email) {
    throw new AppError('ent.intune.validate_token.missing_claims.app_error', {
      params: { Claim: 'email (or an email-shaped upn / preferred_username)' },
      detailed: 'a new account needs an email',
    });
  }
  return createOffice365User(db, authService, token, email);
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
      const raced = await userStore.findByAuth(db, authService, token.oid);
      if (raced) return { user: raced, created: false };
      if (await userStore.findByEmail(db, email)) {
        throw new AppError('ent.intune.login.user_mismatch.app_error', { params: { Email: email } });
      }
    }
  }
  throw new Error('could not choose a free username');
}
