// POST /oauth/intune, decided in this order: configured → licensed → token → platform → account → session.
// The platform rule (IntuneSettings.AndroidPolicy) comes after the token so the audit says who tried from Android.
import { AppError } from '../errors/app-error.ts';
import { androidStep } from '../enrollment/android-decision.ts';
import { clientPlatform } from '../enrollment/client-platform.ts';
import { androidPolicyOf } from '../enrollment/mam-policy.ts';
import { audit } from '../audit/audit.ts';
import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import type { UserRow } from '../db/stores/user-store.ts';
import { qualifiesForIntune } from '../license/model.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { isIntuneConfigured } from '../settings/rules.ts';
import { isOpened, type MobileSessionOpener, type OpenedSession } from './open-session.ts';
import type { PolicyCache } from '../enrollment/policy-cache.ts';
import type { Settings } from '../settings/model.ts';
import type { TokenVerifier, VerifiedToken } from '../token/verifier.ts';
import { type LoginRateLimit, RATE_LIMITED } from './login-rate-limit.ts';
import type { LoginRequest } from './login-request.ts';
import { matchUser } from './match-user.ts';
import { emailOf } from './new-account.ts';

export interface LoginDependencies {
  verifier: Pick<TokenVerifier, 'verify'>;
  /** The node's settings and license, kept current by the change feed. */
  config: Pick<PolicyCache, 'get'>;
  rateLimit: Pick<LoginRateLimit, 'checkAddress' | 'chargeVerified' | 'chargeUnverified'>;
  sessions: Pick<MobileSessionOpener, 'open'>;
  mobileSessionLifetimeMs: number;
}

export interface LoginResult extends OpenedSession {
  userCreated: boolean;
}

function refuseLockedAccounts(user: UserRow): void {
  if (user.is_bot) throw new AppError('api.user.login_by_intune.bot_login_forbidden.app_error');
  if (user.deleted_at) throw new AppError('api.user.login_by_intune.account_locked.app_error');
}

function isRefusal(error: unknown): boolean {
  return error instanceof AppError && error.status < 500 && error.id !== RATE_LIMITED;
}

/**
 * The token check, charging the tenant's budget only once the signature verified and the unverified budget for a
 * token refused before that. A key set that cannot be fetched (5xx) is our failure, not the caller's: no charge.
 */
async function verifyCharged(deps: LoginDependencies, accessToken: string, settings: Settings, now: number): Promise<VerifiedToken> {
  const tenantId = settings.IntuneSettings.TenantId;
  let signed = false;
  try {
    return await deps.verifier.verify(accessToken, settings, now, {
      signatureVerified() {
        signed = true;
        deps.rateLimit.chargeVerified(tenantId, now);
      },
    });
  } catch (error) {
    if (!signed && isRefusal(error)) deps.rateLimit.chargeUnverified(tenantId, now);
    throw error;
  }
}

export async function loginByIntune(
  ctx: ServiceContext,
  deps: LoginDependencies,
  request: LoginRequest,
  actor: Actor & { clientIp: string; userAgent?: string },
): Promise<LoginResult> {
  const now = Date.now();
  deps.rateLimit.checkAddress(actor.clientIp, now);
  try {
    const { settings, license } = await deps.config.get(now);
    if (!isIntuneConfigured(settings)) throw new AppError('ent.intune.login.not_configured.app_error');
    if (!qualifiesForIntune(license, now)) throw new AppError('ent.intune.login.not_licensed.app_error');
    const token = await verifyCharged(deps, request.access_token, settings, now);
    // Every session opened here is a protected mobile one, so the Android rule always applies.
    const platform = clientPlatform({ deviceId: request.device_id, userAgent: actor.userAgent });
    const android = androidStep(androidPolicyOf(settings), platform);
    if (android.outcome === 'refuse') throw android.refusal;
    const open = (userCreated: boolean) =>
      deps.sessions.open(
        {
          authService: settings.IntuneSettings.AuthService,
          objectId: token.oid,
          email: emailOf(token),
          tenantId: token.tid,
          deviceId: request.device_id || undefined,
          voipDeviceId: request.voip_device_id || undefined,
          lifetimeMs: deps.mobileSessionLifetimeMs,
          audit: {
            actor: actor.name,
            request_id: actor.requestId,
            details: {
              user_created: userCreated,
              token_version: token.version,
              client_id: token.clientId,
              platform,
              ...(android.outcome === 'unprotected' ? { android_unprotected: true } : {}),
            },
          },
        },
        now,
      );
    // The common case, an active account that exists, is one statement. Otherwise the same statement answered the
    // accounts the rules decide from: a refusal needs nothing more; a new account (or one that changed meanwhile) is
    // opened the same way once it exists.
    let opened = await open(false);
    let created = false;
    if (!isOpened(opened)) {
      const matched = await matchUser(ctx.db, settings, token, opened);
      refuseLockedAccounts(matched.user);
      created = matched.created;
      opened = await open(created);
      if (!isOpened(opened)) {
        throw new AppError('api.user.login_by_intune.account_locked.app_error', {
          detailed: 'the account was deactivated or changed while signing in',
        });
      }
    }
    // Only ended sessions concern this node's caches (a new token was never cached): then wait for the feed.
    if (opened.replaced.length > 0) await ctx.changes.catchUp();
    return { ...opened, userCreated: created };
  } catch (error) {
    // Rate-limit refusals are not written: a flood must not become a flood of writes.
    if (error instanceof AppError && error.id !== RATE_LIMITED) {
      await audit(ctx.db, actor, {
        action: AUDIT_ACTIONS.signIn,
        outcome: 'refused',
        details: { error_id: error.id, reason: error.detailed || error.message },
      }).catch(() => undefined);
    }
    throw error;
  }
}
