// Checks of the stored configuration: license, settings, provider, identity attribute, scope, clients.
import { entryFor } from '../../errors/catalogue.ts';
import { messageFor } from '../../errors/app-error.ts';
import { activeLicense, qualifiesForIntune } from '../../license/model.ts';
import { tierOf } from '../../license/tier.ts';
import { effectiveIntuneScope, OFFICIAL_MOBILE_CLIENT_IDS } from '../../settings/model.ts';
import { intuneProblems, settingsProblems } from '../../settings/rules.ts';
import { MAM_SERVICE_RESOURCE } from '../../token/expectations.ts';
import { isGuid } from '../../util/guid.ts';
import { type Check, fail, pass, warn } from '../check.ts';

export const licenseCheck: Check = {
  id: 'license',
  title: 'License is Enterprise Advanced (or Entry)',
  run({ license, now }) {
    const active = activeLicense(license, now);
    if (qualifiesForIntune(license, now)) return pass(`SKU ${active!.SkuShortName} (tier ${tierOf(active!.SkuShortName)})`);
    if (license && !active) return fail(`the ${license.SkuShortName} license expired`, 'ent.intune.login.not_licensed.app_error');
    return fail(active ? `SKU ${active.SkuShortName} is tier ${tierOf(active.SkuShortName)}, below 30` : 'no license', 'ent.intune.login.not_licensed.app_error');
  },
};

export const intuneEnabledCheck: Check = {
  id: 'intune_enabled',
  title: 'Intune MAM is enabled',
  run: ({ settings }) =>
    settings.IntuneSettings.Enable ? pass('IntuneSettings.Enable is on') : fail('IntuneSettings.Enable is off', 'ent.intune.login.not_configured.app_error'),
};

export const settingsValidCheck: Check = {
  id: 'settings_valid',
  title: 'Settings are valid',
  run({ settings }) {
    const problems = settingsProblems(settings);
    if (problems.length === 0) return pass('every validation rule passes');
    const first = problems[0]!;
    return fail(
      problems.map((p) => `${p.field}: ${messageFor(p.id, p.params)}`).join(' | '),
      first.id,
      entryFor(first.id).next_step,
    );
  },
};

export const providerCheck: Check = {
  id: 'provider_enabled',
  title: 'The protected sign-in provider is enabled',
  run({ settings }) {
    const service = settings.IntuneSettings.AuthService;
    if (!service) return fail('IntuneSettings.AuthService is empty', 'model.config.is_valid.intune_auth_service.app_error');
    const enabled = service === 'office365' ? settings.Office365Settings.Enable : service === 'saml' ? settings.SamlSettings.Enable : false;
    if (enabled) return pass(`${service} is enabled`);
    return fail(
      `AuthService is ${service} but that provider is off`,
      service === 'saml' ? 'model.config.is_valid.intune_requires_saml.app_error' : 'model.config.is_valid.intune_requires_office365.app_error',
    );
  },
};

export const idAttributeCheck: Check = {
  id: 'id_attribute',
  title: 'The identity attribute is the Entra objectId',
  run({ settings }) {
    const problem = settingsProblems(settings).find((p) => /id_attribute/.test(p.id));
    if (!problem) return pass(`IdAttribute ${settings.IntuneSettings.IdAttribute}, SAML ${settings.SamlSettings.IdAttribute}, LDAP ${settings.LdapSettings.IdAttribute}`);
    return fail(messageFor(problem.id, problem.params), problem.id);
  },
};

export const scopeCheck: Check = {
  id: 'intune_scope',
  title: 'The Intune scope is well formed',
  run({ settings }) {
    if (intuneProblems(settings).some((p) => p.id === 'model.config.is_valid.intune_scope.app_error')) {
      return fail(`IntuneScope "${settings.IntuneSettings.IntuneScope}" is malformed`, 'model.config.is_valid.intune_scope.app_error');
    }
    if (!settings.IntuneSettings.IntuneScope && !isGuid(settings.IntuneSettings.ClientId)) {
      return fail('no IntuneScope and no valid Client ID to derive api://{ClientId}/login.mattermost from', 'model.config.is_valid.intune_client_id.app_error');
    }
    const scope = effectiveIntuneScope(settings.IntuneSettings);
    if (scope.startsWith(`${MAM_SERVICE_RESOURCE}/`)) {
      return warn(
        `the client requests ${scope}: its access token is issued to the Microsoft Mobile Application Management service, not to this chat server, so any app allowed to get a MAM-service token for the user could present it`,
        `Prefer api://${settings.IntuneSettings.ClientId || '{ClientId}'}/login.mattermost (the chat server's own API scope); keep the MAM service permission on the mobile app registration for enrollment.`,
      );
    }
    return pass(`the client requests ${scope}`);
  },
};

export const allowedClientsCheck: Check = {
  id: 'allowed_clients',
  title: 'Allowed mobile client IDs are set',
  run({ settings }) {
    const ids = settings.IntuneSettings.AllowedClientIds;
    if (ids.length === 0) return fail('no client id is allowed', 'model.config.is_valid.intune_allowed_client_ids.app_error');
    const official = ids.filter((id) => (OFFICIAL_MOBILE_CLIENT_IDS as readonly string[]).includes(id)).length;
    return pass(`${ids.length} allowed (${official} official Mattermost app${official === 1 ? '' : 's'})`);
  },
};
