// How a check says "no". Every refusal is a catalogue AppError; `detailed` names the check that failed and why, for
// operators and the audit log. Nothing here ever receives the token itself: callers pass claim values at most, and
// `shown` truncates those so an attacker-chosen claim cannot smuggle a large blob into the logs.
import { AppError } from '../errors/app-error.ts';

/** The checks of the pipeline, in order; the name leads every detailed_error. */
export type CheckName =
  | 'format'
  | 'header'
  | 'encoding'
  | 'algorithm'
  | 'version'
  | 'key'
  | 'signature'
  | 'issuer'
  | 'tenant'
  | 'audience'
  | 'scope'
  | 'client'
  | 'identity'
  | 'time'
  | 'settings';

/** A claim value as it may appear in a detailed error: JSON, at most 80 characters. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function detail(check: CheckName, reason: string, more?: string): string {
  return `token check "${check}" failed: ${reason}${more ? ` (${more})` : ''}`;
}

/** 401 invalid_token: signature, algorithm, audience, scope, client or format. */
export function invalidToken(check: CheckName, reason: string, more?: string): AppError {
  return new AppError('ent.intune.validate_token.invalid_token.app_error', {
    params: { Reason: reason },
    detailed: detail(check, reason, more),
  });
}

/** 401 invalid_tenant_id: the issuer or tid is not the configured tenant. */
export function wrongTenant(check: CheckName, reason: string, more?: string): AppError {
  return new AppError('ent.intune.validate_token.invalid_tenant_id.app_error', {
    params: { Reason: reason },
    detailed: detail(check, reason, more),
  });
}

/** 401 token_expired: the client renews its token silently and retries once. */
export function tokenExpired(more: string): AppError {
  return new AppError('ent.intune.validate_token.token_expired.app_error', {
    detailed: detail('time', 'the token has expired', more),
  });
}

/** 400 missing_claims (MissingAuthAccountError). */
export function missingClaim(claim: string): AppError {
  return new AppError('ent.intune.validate_token.missing_claims.app_error', {
    params: { Claim: claim },
    detailed: detail('identity', `no ${claim} claim`),
  });
}

/** 503 jwks_init: no signing keys could be fetched and none are cached. */
export function signingKeysUnavailable(jwksUrl: string, why: string): AppError {
  return new AppError('ent.intune.validate_token.jwks_init.app_error', {
    detailed: detail('key', `no signing keys for ${jwksUrl}`, why),
    headers: { 'Retry-After': '10' },
  });
}

/** 403 not_configured: the verifier was handed settings no token can be checked against. */
export function notConfigured(reason: string): AppError {
  return new AppError('ent.intune.login.not_configured.app_error', { detailed: detail('settings', reason) });
}
