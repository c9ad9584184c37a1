import { probeDirectory } from '../../identity/ldap/probe.ts';
import { type Check, fail, pass, warn } from '../check.ts';

export const directoryCheck: Check = {
  id: 'ldap',
  title: 'LDAP is reachable, binds, and carries msDS-aadObjectId',
  async run({ settings }) {
    const ldap = settings.LdapSettings;
    if (!ldap.Enable) return pass('LDAP is not enabled; nothing to check');
    const found = await probeDirectory(ldap, { sampleSize: 100 });
    const where = `${found.server} as ${found.bindDn || 'anonymous'}`;
    if (found.objectGuidUsedAsId) return fail(`${where}: IdAttribute is objectGUID`, 'model.config.is_valid.ldap_id_attribute.app_error');
    if (found.error) return fail(`${where}: ${found.error.message}`, found.error.id);
    const s = found.sample;
    const withId = s.withGuid.string + s.withGuid.binary;
    const evidence = `${where}: ${s.entries} sampled, ${withId} with ${ldap.IdAttribute} as a GUID, ${s.missing} without it, ${s.notGuid} not a GUID; objectGUID on ${s.withObjectGuid} (not used)`;
    if (s.entries === 0) return warn(`${evidence}`, 'Check LdapSettings.BaseDn and UserFilter: the search found no user.');
    if (s.notGuid > 0) {
      return fail(`${evidence}; e.g. ${s.examples.join('; ')}`, 'model.config.is_valid.ldap_id_attribute.app_error', `Entries whose ${ldap.IdAttribute} is not a GUID cannot be matched to the Entra objectId: read msDS-aadObjectId.`);
    }
    if (s.missing > 0) {
      return warn(`${evidence}; e.g. ${s.examples.join('; ')}`, `Users without ${ldap.IdAttribute} are not synchronised from Entra ID: check Entra Domain Services synchronisation for them.`);
    }
    return pass(evidence);
  },
};
