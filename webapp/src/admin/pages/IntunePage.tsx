// Mobile Security › Microsoft Intune (reference/mattermost-intune.md §6), plus the sign-in providers the Auth
// Provider dropdown depends on and the MAM Tunnel keys. The server validates on save; its field_errors are shown
// next to their fields and listed in a summary at the top of the form (intune/: the form, its state, its parts).
import { licenseQualifies, type MamgateApi } from '../../api/client.ts';
import { ErrorSummary } from '../intune/ErrorSummary.tsx';
import { IntuneHeading, MobileSecurityPage } from '../intune/IntuneHeading.tsx';
import { LicenseUpsell } from '../intune/LicenseUpsell.tsx';
import { type FieldProps, SettingField } from '../intune/SettingField.tsx';
import { type FormState, optionLabel, PROVIDER_KEYS, PROVIDERS, TUNNEL_KEYS } from '../intune/settings-form.ts';
import { useIntuneSettings } from '../intune/useIntuneSettings.ts';

/** The Auth Provider choices: the enabled sign-in methods, and the saved one even when its sign-in is off. */
function providerChoices(form: FormState): { options: { value: string; label: string }[]; note?: string } {
  const enabled = PROVIDERS.filter((p) => form[p.enabledBy] === true).map((p) => p.value);
  const current = String(form['IntuneSettings.AuthService'] ?? '');
  const label = (value: string) => optionLabel('IntuneSettings.AuthService', value);
  return {
    options: [
      { value: '', label: 'Select an auth provider' },
      ...enabled.map((value) => ({ value, label: label(value) })),
      ...(current && !enabled.includes(current) ? [{ value: current, label: `${label(current)} (sign-in not enabled)` }] : []),
    ],
    note: enabled.length === 0 ? 'No sign-in provider is enabled yet: turn on Office 365 or SAML sign-in under Sign-in providers.' : undefined,
  };
}

export function IntunePage({ api }: { api: MamgateApi }) {
  const { loaded, loadError, load, form, errors, status, saving, dirty, summaryRef, set, save, discard } = useIntuneSettings(api);

  if (loadError) {
    return (
      <MobileSecurityPage>
        <div className="alert alert-error" role="alert">
          <p>The settings could not be read: {loadError}</p>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      </MobileSecurityPage>
    );
  }
  if (!loaded) {
    return (
      <MobileSecurityPage>
        <p role="status">Loading the settings…</p>
      </MobileSecurityPage>
    );
  }
  if (!licenseQualifies(loaded.license)) {
    return (
      <MobileSecurityPage>
        <IntuneHeading />
        <LicenseUpsell license={loaded.license} />
      </MobileSecurityPage>
    );
  }

  const enabled = form['IntuneSettings.Enable'] === true;
  const field = (key: string, disabled = false, extra: Partial<FieldProps> = {}) => (
    <SettingField
      key={key}
      settingKey={key}
      value={form[key] ?? ''}
      onChange={(value) => set(key, value)}
      disabled={disabled || saving}
      error={errors.find((e) => e.field === key)}
      {...extra}
    />
  );

  return (
    <MobileSecurityPage>
      <form className="settings-form" onSubmit={(e) => void save(e)} noValidate aria-describedby="save-status">
        <IntuneHeading sku={loaded.license.SkuShortName} />
        <ErrorSummary errors={errors} summaryRef={summaryRef} />

        <section className="settings-section settings-section-first" aria-labelledby="intune-title">
          {field('IntuneSettings.Enable')}
          {!enabled ? (
            <p className="muted" id="intune-off-note">
              The fields below can be changed once Enable Microsoft Intune MAM is on.
            </p>
          ) : null}
          {field('IntuneSettings.AuthService', !enabled, providerChoices(form))}
          {field('IntuneSettings.TenantId', !enabled)}
          {field('IntuneSettings.ClientId', !enabled)}
          {field('IntuneSettings.IdAttribute', !enabled)}
          {field('IntuneSettings.IntuneScope', !enabled)}
          {field('IntuneSettings.AllowedClientIds', !enabled)}
          {field('IntuneSettings.EnableUserCreation', !enabled)}
        </section>

        <section className="settings-section" aria-labelledby="providers-title">
          <h2 id="providers-title">Sign-in providers</h2>
          <p className="section-sub">The Auth Provider list offers only the sign-in methods switched on here.</p>
          {PROVIDER_KEYS.map((key) => field(key))}
        </section>

        <section className="settings-section" aria-labelledby="tunnel-title">
          <h2 id="tunnel-title">Microsoft Tunnel for MAM</h2>
          <p className="section-sub">
            The com.microsoft.tunnel.* values of the app configuration policy. When the connection type, name, site ID
            and server address are all set, mobile clients must connect the tunnel before they sign in.
          </p>
          {TUNNEL_KEYS.map((key) => field(key, !enabled))}
        </section>

        <div className="save-bar">
          <button type="submit" className="button button-primary" disabled={saving || !dirty}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button" disabled={saving || !dirty} onClick={discard}>
            Discard changes
          </button>
          {dirty ? <span className="unsaved-flag">Unsaved changes</span> : null}
          <span id="save-status" className="save-status" role="status">
            {status}
          </span>
          <span className="muted version">Settings version {loaded.version}</span>
        </div>
      </form>
    </MobileSecurityPage>
  );
}
