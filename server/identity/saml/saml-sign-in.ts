// The three SP operations without HTTP: metadata, starting a login, and accepting a posted response (validate,
// settle the account, record the `saml` identity, audit the outcome).
import { AUDIT_ACTIONS } from '../../contract/audit-actions.ts';
import { audit } from '../../audit/audit.ts';
import { identityStore } from '../../db/stores/identity-store.ts';
import type { UserRow } from '../../db/stores/user-store.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Actor, ServiceContext } from '../../context.ts';
import { currentSettings } from '../../settings/service.ts';
import { samlRequestStore } from '../../db/stores/saml-request-store.ts';
import { SamlCacheFailure } from './request-cache.ts';
import { accountForSamlSignIn } from './saml-account.ts';
import { acsUrlOf, notConfigured, samlSetup, spEntityIdOf } from './saml-setup.ts';
import { serviceProvider, serviceProviderMetadata } from './service-provider.ts';
import { type SamlAssertionIdentity, validateSamlResponse } from './validate-response.ts';
import { type LoginRateLimit, RATE_LIMITED } from '../../login/login-rate-limit.ts';

/** SAML responses that do not validate share one unverified budget (the IdP is one, whatever the tenant). */
const SAML_BUDGET = 'saml';

export interface SamlSignIn {
  user: UserRow;
  created: boolean;
  updated: string[];
  identity: SamlAssertionIdentity;
}

/** The metadata needs only the SP entity id and the ACS URL, so an admin can register the SP before enabling SAML. */
export async function samlMetadata(ctx: ServiceContext): Promise<string> {
  const { settings } = await currentSettings(ctx.db);
  return serviceProviderMetadata(spEntityIdOf(settings), acsUrlOf(settings));
}

/** Starts an SP-initiated login: the AuthnRequest id is stored (shared by every node), the redirect URL answered. */
export async function startSamlLogin(ctx: ServiceContext): Promise<string> {
  const { settings } = await currentSettings(ctx.db);
  const setup = samlSetup(settings);
  if (!/^https?:\/\/[^\s/]+/i.test(setup.idpUrl)) throw notConfigured('SamlSettings.IdpUrl is not an http(s) URL');
  await samlRequestStore.purgeExpired(ctx.db);
  try {
    return await serviceProvider(ctx.db, setup).getAuthorizeUrlAsync('', undefined, {});
  } catch (error) {
    throw error instanceof SamlCacheFailure ? error.cause : error;
  }
}

export async function acceptSamlResponse(
  ctx: ServiceContext,
  input: { samlResponse: string; clientIp: string },
  actor: Actor,
  rateLimit: Pick<LoginRateLimit, 'checkAddress' | 'chargeUnverified'>,
): Promise<SamlSignIn> {
  // Before any XML is parsed or any signature checked (the costly part), and not audited: a flood writes nothing.
  // The same budget per client address as the mobile sign-in.
  rateLimit.checkAddress(input.clientIp, Date.now());
  try {
    const { settings } = await currentSettings(ctx.db);
    const setup = samlSetup(settings);
    const identity = await validateSamlResponse(ctx.db, setup, input.samlResponse).catch((error: unknown) => {
      // A response refused (unsigned, altered, replayed, for another SP) is charged to the unverified budget, so
      // a flood of them from many addresses ends in 429s that write nothing instead of an audit row each.
      if (error instanceof AppError && error.status < 500) rateLimit.chargeUnverified(SAML_BUDGET, Date.now());
      throw error;
    });
    const account = await accountForSamlSignIn(ctx.db, setup, identity);
    await ctx.db.transaction(async (trx) => {
      await identityStore.record(trx, {
        user_id: account.user.id,
        source: 'saml',
        tenant_id: identity.tenantId,
        object_id: identity.objectId,
        raw_value: identity.rawObjectId,
        attribute: setup.idAttribute,
      });
      await audit(trx, actor, {
        action: AUDIT_ACTIONS.samlSignIn,
        target: `user:${account.user.id}`,
        outcome: 'success',
        details: {
          tenant_id: identity.tenantId,
          object_id: identity.objectId,
          solicited: identity.inResponseTo !== null,
          user_created: account.created,
          user_updated: account.updated,
          auth_service: account.user.auth_service,
        },
      });
    });
    return { ...account, identity };
  } catch (error) {
    if (error instanceof AppError && error.id !== RATE_LIMITED) {
      await audit(ctx.db, actor, {
        action: AUDIT_ACTIONS.samlSignIn,
        outcome: 'refused',
        details: { error_id: error.id, reason: error.detailed || error.message },
      }).catch(() => undefined);
    }
    throw error;
  }
}
