import { fetchJwks } from '../../token/keys/fetch-jwks.ts';
import { usableSigningKeys } from '../../token/keys/usable-keys.ts';
import { isGuid } from '../../util/guid.ts';
import { type Check, fail, pass } from '../check.ts';

export const signingKeysCheck: Check = {
  id: 'jwks',
  title: "The tenant's signing keys can be fetched",
  async run({ settings, authority, jwksTimeoutMs }) {
    const tenant = settings.IntuneSettings.TenantId;
    if (!isGuid(tenant)) return fail('no valid Tenant ID to fetch keys for', 'model.config.is_valid.intune_tenant_id.app_error');
    const url = `${authority}/${tenant}/discovery/v2.0/keys`;
    try {
      const { keys } = usableSigningKeys(await fetchJwks(url, { fetch, timeoutMs: jwksTimeoutMs }));
      if (keys.size === 0) return fail(`${url} answered no usable RSA signing key`, 'ent.intune.validate_token.jwks_init.app_error');
      return pass(`${keys.size} signing key(s) at ${url}`);
    } catch (error) {
      return fail(`${url}: ${(error as Error).message}`, 'ent.intune.validate_token.jwks_init.app_error');
    }
  },
};
