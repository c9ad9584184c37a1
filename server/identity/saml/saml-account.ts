// The account a verified SAML sign-in belongs to. With saml as IntuneSettings.AuthService, it is the SAML account
// whose auth data is the objectidentifier (created or brought up to date here); otherwise the account owning the
// sign-in's email, which is never created or changed.
import { AppError } from '../../errors/app-error.ts';
import type { Database } from '../../db/connect.ts';
import { UNIQUE_VIOLATION, type UserRow, userStore } from '../../db/stores/user-store.ts';
import { firstFreeUsername, usernameBase } from '../../login/new-account.ts';
import { newId } from '../../util/secret-token.ts';
import type { SamlSetup } from './saml-setup.ts';
import type { SamlAssertionIdentity } from './validate-response.ts';

export interface SamlAccount {
  user: UserRow;
  created: boolean;
  /** Names of the account fields this sign-in changed. */
  updated: string[];
}

function emailTaken(email: string, owner: UserRow): AppError {
  return new AppError('ent.intune.login.user_mismatch.app_error', {
    params: { Email: email },
    detailed: `the account owning this email (auth_service "${owner.auth_service}") is not the SAML account of this objectidentifier`,
  });
}

function refuseDeactivated(user: UserRow): void {
  if (user.deleted_at) {
    throw new AppError('api.user.login_by_intune.account_locked.app_error', { detailed: 'the account is deactivated' });
  }
}

/** Does username already derive from base (base, or base followed by digits)? */
function derivesFrom(username: string, base: string): boolean {
  return username.startsWith(base) && /^\d*$/.test(username.slice(base.length));
}

// objectIds compare in any letter case; two accounts whose auth data differ only by case are a duplicate the
// identity report flags, and neither is chosen here.
async function findSamlAccount(db: Database, identity: SamlAssertionIdentity): Promise<UserRow | undefined> {
  const [found, other] = await userStore.findByObjectId(db, 'saml', identity.objectId);
  if (other) {
    throw new AppError('ent.intune.login.user_mismatch.app_error', {
      params: { Email: identity.email ?? found!.email },
      detailed: 'two saml accounts hold this objectidentifier (their auth data differ only by letter case)',
    });
  }
  return found;
}

async function createSamlAccount(db: Database, setup: SamlSetup, identity: SamlAssertionIdentity): Promise<SamlAccount> {
  const email = identity.email;
  if (!email) {
    throw new AppError('mamgate.saml.missing_attribute.app_error', {
      params: { Attribute: setup.emailAttribute, Reason: 'a new SAML account needs an email' },
      detailed: `${setup.emailAttribute}: absent or not an email`,
    });
  }
  const owner = await userStore.findByEmail(db, email);
  if (owner) throw emailTaken(email, owner);
  const base = usernameBase(identity.username ?? email);
  const username = firstFreeUsername(base, await userStore.usernamesLike(db, base));
  const user = await userStore.insert(db, {
    id: newId(),
    username,
    email,
    auth_service: 'saml',
    auth_data: identity.objectId,
    first_name: identity.firstName,
    last_name: identity.lastName,
  });
  return { user, created: true, updated: [] };
}

async function updateSamlAccount(db: Database, user: UserRow, identity: SamlAssertionIdentity): Promise<SamlAccount> {
  refuseDeactivated(user);
  const changes: Partial<Pick<UserRow, 'email' | 'username' | 'first_name' | 'last_name' | 'auth_data'>> = {};
  // Found in another letter case: stored from now on in the canonical form.
  if (user.auth_data !== identity.objectId) changes.auth_data = identity.objectId;
  if (identity.email && identity.email !== user.email.toLowerCase()) {
    const owner = await userStore.findByEmail(db, identity.email);
    if (owner && owner.id !== user.id) throw emailTaken(identity.email, owner);
    changes.email = identity.email;
  }
  if (identity.username) {
    const base = usernameBase(identity.username);
    if (!derivesFrom(user.username, base)) {
      const taken = (await userStore.usernamesLike(db, base)).filter((name) => name !== user.username);
      changes.username = firstFreeUsername(base, taken);
    }
  }
  if (identity.firstName && identity.firstName !== user.first_name) changes.first_name = identity.firstName;
  if (identity.lastName && identity.lastName !== user.last_name) changes.last_name = identity.lastName;
  const updated = Object.keys(changes);
  if (updated.length === 0) return { user, created: false, updated };
  return { user: await userStore.update(db, user.id, changes), created: false, updated };
}

async function samlAccount(db: Database, setup: SamlSetup, identity: SamlAssertionIdentity): Promise<SamlAccount> {
  for (let attempt = 0; ; attempt++) {
    try {
      const existing = await findSamlAccount(db, identity);
      return existing ? await updateSamlAccount(db, existing, identity) : await createSamlAccount(db, setup, identity);
    } catch (error) {
      // A concurrent sign-in created this account or took the email or username: look again.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 4) throw error;
    }
  }
}

async function accountByEmail(db: Database, setup: SamlSetup, identity: SamlAssertionIdentity): Promise<SamlAccount> {
  if (!identity.email) {
    throw new AppError('mamgate.saml.missing_attribute.app_error', {
      params: { Attribute: setup.emailAttribute, Reason: 'the account is matched by email' },
      detailed: `${setup.emailAttribute}: absent or not an email`,
    });
  }
  const user = await userStore.findByEmail(db, identity.email);
  if (!user) {
    throw new AppError('mamgate.saml.account_not_found.app_error', {
      params: { Email: identity.email },
      detailed: 'IntuneSettings.AuthService is not saml, so SAML sign-in matches an existing account by email and creates none',
    });
  }
  refuseDeactivated(user);
  return { user, created: false, updated: [] };
}

export function accountForSamlSignIn(db: Database, setup: SamlSetup, identity: SamlAssertionIdentity): Promise<SamlAccount> {
  return setup.authService === 'saml' ? samlAccount(db, setup, identity) : accountByEmail(db, setup, identity);
}
