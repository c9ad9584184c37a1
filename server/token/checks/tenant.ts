// §7.4 and §7.8 — tid must be a GUID, must not be the consumer (MSA) tenant, and must equal TenantId. Every tid
// failure, including a missing or non-GUID tid, is invalid_tenant_id: the token does not belong to this tenant.
import type { JsonObject } from '../compact-jws.ts';
import { CONSUMER_TENANT_ID, type Expectations } from '../expectations.ts';
import { shown, wrongTenant } from '../refusal.ts';
import { isGuid } from '../../util/guid.ts';

/** Returns the tid, lower case. */
export function checkTenant(claims: JsonObject, expect: Expectations): string {
  const tid = claims.tid;
  if (typeof tid !== 'string' || tid === '') throw wrongTenant('tenant', 'the token names no tenant (tid)');
  if (!isGuid(tid)) throw wrongTenant('tenant', 'the tenant (tid) is not a GUID', `tid ${shown(tid)}`);
  const tenant = tid.toLowerCase();
  if (tenant === CONSUMER_TENANT_ID) throw wrongTenant('tenant', 'personal Microsoft accounts are not accepted');
  if (tenant !== expect.tenantId) throw wrongTenant('tenant', 'the tenant (tid) is not the configured tenant', `tid ${tenant}`);
  return tenant;
}
