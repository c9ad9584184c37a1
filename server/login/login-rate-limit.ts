// The sign-in budgets, shared by every node (SharedWindows on the database):
//   address     per client address (an IPv6 /64 is one address), charged before anything is parsed or checked;
//   tenant      per configured tenant, charged only for tokens whose signature verified (real tokens of real users);
//   unverified  per configured tenant, charged for attempts refused before or at the signature check.
// Junk (a made-up or altered token) is counted apart from the tenant's budget, so a flood of it from many
// addresses cannot lock out the users whose tokens verify.
import { AppError } from '../errors/app-error.ts';
import { addressBudgetKey } from '../ratelimit/address-key.ts';
import type { SharedWindows } from '../ratelimit/shared-windows.ts';

export type LoginBudget = 'address' | 'tenant' | 'unverified';

export interface LoginRateLimits {
  perIpPerMinute: number;
  perTenantPerMinute: number;
  unverifiedPerTenantPerMinute: number;
}

const SCOPES: Record<LoginBudget, string> = {
  address: 'from this address',
  tenant: 'for this tenant',
  unverified: 'with tokens that did not verify',
};

export const RATE_LIMITED = 'mamgate.login.rate_limited.app_error';

export class LoginRateLimit {
  constructor(
    private readonly windows: Pick<SharedWindows, 'take' | 'reachable'>,
    private readonly limits: LoginRateLimits,
    /** Told every refusal (a metric): refusals are counted, not audited one by one. */
    private readonly onRefused: (budget: LoginBudget) => void = () => undefined,
  ) {}

  checkAddress(ip: string, now: number): void {
    this.charge('address', `address:${addressBudgetKey(ip)}`, this.limits.perIpPerMinute, now);
  }

  /** A token whose signature verified: one of the tenant's own. */
  chargeVerified(tenantId: string, now: number): void {
    this.charge('tenant', `tenant:${tenantId}`, this.limits.perTenantPerMinute, now);
  }

  /**
   * An attempt refused before or at the signature check. While the shared store cannot be reached this budget
   * fails closed (another node may have spent it): that refuses only attempts that are refused anyway, so it
   * never locks out a user whose token verifies, and it spares the failing database their audit writes.
   */
  chargeUnverified(tenantId: string, now: number): void {
    if (this.limits.unverifiedPerTenantPerMinute > 0 && !this.windows.reachable()) this.refuse('unverified', 60);
    this.charge('unverified', `unverified:${tenantId}`, this.limits.unverifiedPerTenantPerMinute, now);
  }

  private charge(budget: LoginBudget, key: string, limit: number, now: number): void {
    const retryAfter = this.windows.take(key, limit, now);
    if (retryAfter > 0) this.refuse(budget, retryAfter);
  }

  private refuse(budget: LoginBudget, retryAfter: number): never {
    this.onRefused(budget);
    throw new AppError(RATE_LIMITED, {
      params: { Scope: SCOPES[budget], RetryAfter: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}
