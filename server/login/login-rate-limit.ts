import { AppError } from '../errors/app-error.ts';
import { TokenBuckets } from '../ratelimit/token-bucket.ts';

/**
 * Sign-in attempts per client address and per tenant. The tenant is the configured one (the only tenant whose
 * tokens can succeed), so a flood spread over many addresses is still bounded.
 */
export class LoginRateLimit {
  private readonly perIp: TokenBuckets;
  private readonly perTenant: TokenBuckets;

  constructor(limits: { perIpPerMinute: number; perTenantPerMinute: number }) {
    this.perIp = new TokenBuckets(limits.perIpPerMinute);
    this.perTenant = new TokenBuckets(limits.perTenantPerMinute);
  }

  checkAddress(ip: string, now: number): void {
    this.refuseIfLimited(this.perIp.take(ip, now), 'from this address');
  }

  checkTenant(tenantId: string, now: number): void {
    this.refuseIfLimited(this.perTenant.take(tenantId, now), 'for this tenant');
  }

  private refuseIfLimited(retryAfter: number, scope: string): void {
    if (retryAfter === 0) return;
    throw new AppError('mamgate.login.rate_limited.app_error', {
      params: { Scope: scope, RetryAfter: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}
