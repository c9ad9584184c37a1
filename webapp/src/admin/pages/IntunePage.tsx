// Mobile Security › Microsoft Intune (reference/mattermost-intune.md §6), plus the sign-in providers the Auth
// Provider dropdown depends on and the MAM Tunnel keys. The server validates on save; its field_errors are shown
// next to their fields and listed in a summary at the top of the form.
import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError, errorText, type FieldErrorBody, licenseQualifies, type MamgateApi } from '../../api/client.ts';
import type { License, Settings, SettingsUpdate } from '../../api/types.ts';
import { InlineMarkdown } from '../markdown.tsx';
import { setLeaveGuard } from '../router.ts';
import { DOCS_URL, plainLabel, schemaOf } from '../schema.ts';

type FormValue = string | boolean;
type FormState = Record<string, FormValue>;

const INTUNE_KEYS = [
  'IntuneSettings.Enable',
  'IntuneSettings.AuthService',
  'IntuneSettings.TenantId',
  'IntuneSettings.ClientId',
  'IntuneSettings.IdAttribute',
  'IntuneSettings.IntuneScope',
  'IntuneSettings.AllowedClientIds',
  'IntuneSettings.EnableUserCreation',
];
const PROVIDER_KEYS = ['Office365Settings.Enable', 'SamlSettings.Enable'];
const TUNNEL_KEYS = [
  'IntuneSettings.TunnelClientId',
  'TunnelSettings.ConnectionType',
  'TunnelSettings.ConnectionName',
  'TunnelSettings.SiteId',
  'TunnelSettings.ServerAddress',
  'TunnelSettings.TrustedRootCertificates',
  'TunnelSettings.ProxyPacUrl',
  'TunnelSettings.ProxyAddress',
  'TunnelSettings.ProxyPort',
  'TunnelSettings.BypassedUrls',
];
const FORM_KEYS = [...INTUNE_KEYS, ...PROVIDER_KEYS, ...TUNNEL_KEYS];
const LIST_KEYS = new Set(['IntuneSettings.AllowedClientIds', 'TunnelSettings.BypassedUrls']);

const PROVIDERS: { value: string; enabledBy: string }[] = [
  { value: 'office365', enabledBy: 'Office365Settings.Enable' },
  { value: 'saml', enabledBy: 'SamlSettings.Enable' },
];

function read(settings: Settings, key: string): unknown {
  const [section, name] = key.split('.') as [string, string];
  return (settings as unknown as Record<string, Record<string, unknown>>)[section]?.[name];
}

function toForm(settings: Settings): FormState {
  const form: FormState = {};
  for (const key of FORM_KEYS) {
    const value = read(settings, key);
    form[key] = typeof value === 'boolean' ? value : Array.isArray(value) ? value.join(',') : String(value ?? '');
  }
  return form;
}

function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Whole sections, as loaded, with the form's values: a PUT replaces every section it carries. */
function toUpdate(form: FormState, loaded: Settings): SettingsUpdate {
  const sections = {
    IntuneSettings: { ...loaded.IntuneSettings },
    Office365Settings: { ...loaded.Office365Settings },
    SamlSettings: { ...loaded.SamlSettings },
    TunnelSettings: { ...loaded.TunnelSettings },
  } as unknown as Record<string, Record<string, unknown>>;
  for (const key of FORM_KEYS) {
    const [section, name] = key.split('.') as [string, string];
    const value = form[key];
    let out: unknown = value;
    if (LIST_KEYS.has(key)) out = listOf(String(value));
    else if (key === 'TunnelSettings.ProxyPort') {
      const text = String(value).trim();
      out = text === '' ? 0 : /^\d+$/.test(text) ? Number(text) : text; // a non-number is refused by the server
    }
    sections[section]![name] = out;
  }
  return sections as unknown as SettingsUpdate;
}

function fieldId(key: string): string {
  return `field-${key.replace('.', '-')}`;
}

interface Loaded {
  settings: Settings;
  version: number;
  license: License;
}

export function IntunePage({ api }: { api: MamgateApi }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState>({});
  const [errors, setErrors] = useState<FieldErrorBody[]>([]);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const [{ settings, version }, license] = await Promise.all([api.getSettings(), api.getLicense()]);
      setLoaded({ settings, version, license });
      setForm(toForm(settings));
      setErrors([]);
    } catch (caught) {
      setLoadError(errorText(caught));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const dirty = loaded !== null && JSON.stringify(form) !== JSON.stringify(toForm(loaded.settings));

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    setLeaveGuard(() => window.confirm('The Microsoft Intune settings have unsaved changes. Leave without saving?'));
    return () => {
      window.removeEventListener('beforeunload', warn);
      setLeaveGuard(null);
    };
  }, [dirty]);

  function set(key: string, value: FormValue) {
    setForm((current) => ({ ...current, [key]: value }));
    setStatus('');
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!loaded) return;
    setSaving(true);
    setStatus('Saving…');
    try {
      const saved = await api.saveSettings(toUpdate(form, loaded.settings));
      setLoaded({ ...loaded, settings: saved.settings, version: saved.version });
      setForm(toForm(saved.settings));
      setErrors([]);
      setStatus(`Saved: settings version ${saved.version}.`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.body && caught.status === 400) {
        const body = caught.body;
        setErrors(
          caught.fieldErrors.length > 0
            ? caught.fieldErrors
            : [{ id: body.id, field: body.field ?? '', message: body.message, next_step: body.next_step ?? '' }],
        );
        setStatus('Not saved: the service refused the settings. Nothing was changed.');
      } else {
        setErrors([{ id: '', field: '', message: errorText(caught), next_step: caught instanceof ApiError ? caught.nextStep : '' }]);
        setStatus('Not saved.');
      }
      // The summary takes focus so the problems are read out and reachable from the keyboard.
      setTimeout(() => summaryRef.current?.focus(), 0);
    } finally {
      setSaving(false);
    }
  }

  if (loadError) {
    return (
      <Page>
        <div className="alert alert-error" role="alert">
          <p>The settings could not be read: {loadError}</p>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      </Page>
    );
  }
  if (!loaded) {
    return (
      <Page>
        <p role="status">Loading the settings…</p>
      </Page>
    );
  }
  if (!licenseQualifies(loaded.license)) {
    return (
      <Page>
        <IntuneHeading />
        <LicenseUpsell license={loaded.license} />
      </Page>
    );
  }

  const enabled = form['IntuneSettings.Enable'] === true;
  const errorFor = (key: string) => errors.find((e) => e.field === key);
  const shown = new Set(FORM_KEYS);
  const field = (key: string, disabled = false, extra: Partial<FieldProps> = {}) => (
    <SettingField
      key={key}
      settingKey={key}
      value={form[key] ?? ''}
      onChange={(value) => set(key, value)}
      disabled={disabled || saving}
      error={errorFor(key)}
      {...extra}
    />
  );

  const providerOptions = PROVIDERS.filter((p) => form[p.enabledBy] === true).map((p) => p.value);
  const currentProvider = String(form['IntuneSettings.AuthService'] ?? '');

  return (
    <Page>
      <form className="settings-form" onSubmit={(e) => void save(e)} noValidate aria-describedby="save-status">
        <IntuneHeading sku={loaded.license.SkuShortName} />
        {errors.length > 0 ? (
          <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
            <h3>The settings were not saved</h3>
            <ul>
              {errors.map((e) => (
                <li key={`${e.field}:${e.id}`}>
                  {shown.has(e.field) ? (
                    <a
                      href={`#${fieldId(e.field)}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(fieldId(e.field))?.focus();
                      }}
                    >
                      {plainLabel(e.field)}: {e.message}
                    </a>
                  ) : (
                    <span>
                      {e.field ? `${e.field}: ` : ''}
                      {e.message}
                    </span>
                  )}
                  {!shown.has(e.field) && e.next_step ? <span className="next-step"> {e.next_step}</span> : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <section className="settings-section settings-section-first" aria-labelledby="intune-title">
          {field('IntuneSettings.Enable')}
          {!enabled ? (
            <p className="muted" id="intune-off-note">
              The fields below can be changed once Enable Microsoft Intune MAM is on.
            </p>
          ) : null}
          {field('IntuneSettings.AuthService', !enabled, {
            options: [
              { value: '', label: 'Select an auth provider' },
              ...providerOptions.map((value) => ({ value, label: optionLabel('IntuneSettings.AuthService', value) })),
              ...(currentProvider && !providerOptions.includes(currentProvider)
                ? [{ value: currentProvider, label: `${optionLabel('IntuneSettings.AuthService', currentProvider)} (sign-in not enabled)` }]
                : []),
            ],
            note:
              providerOptions.length === 0
                ? 'No sign-in provider is enabled yet: turn on Office 365 or SAML sign-in under Sign-in providers.'
                : undefined,
          })}
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
          <button
            type="button"
            className="button"
            disabled={saving || !dirty}
            onClick={() => {
              setForm(toForm(loaded.settings));
              setErrors([]);
              setStatus('Changes discarded.');
            }}
          >
            Discard changes
          </button>
          {dirty ? <span className="unsaved-flag">Unsaved changes</span> : null}
          <span id="save-status" className="save-status" role="status">
            {status}
          </span>
          <span className="muted version">Settings version {loaded.version}</span>
        </div>
      </form>
    </Page>
  );
}

function Page({ children }: { children: ReactNode }) {
  return (
    <>
      <p className="breadcrumb">Environment › Mobile Security</p>
      <h1 tabIndex={-1}>Mobile Security</h1>
      {children}
    </>
  );
}

function IntuneHeading({ sku }: { sku?: string }) {
  return (
    <div className="section-heading">
      <h2 className="section-title" id="intune-title">
        Microsoft Intune
        {sku?.toLowerCase() === 'entry' ? <span className="license-badge">Entry</span> : null}
      </h2>
      <p className="section-sub">Configure Microsoft Intune Mobile Application Management (MAM) for App Protection Policies</p>
    </div>
  );
}

function LicenseUpsell({ license }: { license: License }) {
  const expired = license.IsLicensed && license.ExpiresAt !== undefined && license.ExpiresAt <= Date.now();
  const current = !license.IsLicensed
    ? 'No license is installed.'
    : expired
      ? `The ${license.SkuShortName} license has expired.`
      : `The installed license is ${license.SkuName ? `${license.SkuName} (${license.SkuShortName})` : license.SkuShortName}.`;
  return (
    <section className="upsell" aria-labelledby="upsell-title" data-testid="intune-license-required">
      <h3 id="upsell-title">Protect mobile data with Microsoft Intune App Protection Policies (MAM) and Entra ID authentication</h3>
      <p>
        Microsoft Intune MAM needs a <strong>Mattermost Enterprise Advanced</strong> license (or Entry). {current} Until
        then the Intune settings are not offered and mobile clients are not told to use Intune.
      </p>
      <p>
        Install a qualifying license, for example with <code>npx mamgate license set --sku advanced</code>, then reload
        this page.
      </p>
      <p>
        <a href={DOCS_URL} target="_blank" rel="noreferrer">
          Learn more about Microsoft Intune MAM
        </a>
      </p>
    </section>
  );
}

function optionLabel(key: string, value: string): string {
  return schemaOf(key).options?.find((o) => o.value === value)?.display_name ?? value;
}

interface FieldProps {
  settingKey: string;
  value: FormValue;
  onChange: (value: FormValue) => void;
  disabled: boolean;
  error?: FieldErrorBody;
  options?: { value: string; label: string }[];
  note?: string;
}

function SettingField({ settingKey, value, onChange, disabled, error, options, note }: FieldProps) {
  const schema = schemaOf(settingKey);
  const id = fieldId(settingKey);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const noteId = useId();
  const describedBy = [error ? errorId : '', note ? noteId : '', helpId].filter(Boolean).join(' ');
  const common = {
    id,
    name: settingKey,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
  } as const;

  let control: ReactNode;
  if (schema.type === 'bool') {
    control = (
      <span className="switch">
        <input {...common} type="checkbox" role="switch" aria-checked={value === true} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span className="switch-text" aria-hidden="true">
          {value === true ? 'On' : 'Off'}
        </span>
      </span>
    );
  } else if (schema.type === 'dropdown') {
    const choices =
      options ??
      [
        ...(schema.options ?? []).map((o) => ({ value: o.value, label: o.display_name })),
        ...(value && !(schema.options ?? []).some((o) => o.value === value) ? [{ value: String(value), label: String(value) }] : []),
      ];
    control = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {choices.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (schema.type === 'longtext') {
    control = (
      <textarea
        {...common}
        rows={4}
        placeholder={schema.placeholder}
        value={String(value)}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type={schema.type === 'number' ? 'number' : 'text'}
        inputMode={schema.type === 'number' ? 'numeric' : undefined}
        min={schema.type === 'number' ? 0 : undefined}
        placeholder={schema.placeholder}
        value={String(value)}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }

  return (
    <div className={`setting${error ? ' setting-invalid' : ''}`} data-setting={settingKey}>
      <label className="setting-label" htmlFor={id}>
        {schema.display_name}
      </label>
      <div className="setting-control">
        {control}
        {error ? (
          <p id={errorId} className="field-error">
            <span className="field-error-message">{error.message}</span>
            {error.next_step ? <span className="next-step"> {error.next_step}</span> : null}
          </p>
        ) : null}
        {note ? (
          <p id={noteId} className="field-note">
            {note}
          </p>
        ) : null}
        <p id={helpId} className="help">
          <InlineMarkdown text={schema.help_text} />
        </p>
      </div>
    </div>
  );
}
