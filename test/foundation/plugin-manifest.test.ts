// plugin.json is valid by the Mattermost manifest rules (reference/tunnel-and-plugin.md B4) and its settings_schema
// describes exactly the settings of server/settings/model.ts: same keys, same defaults, same secrets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  AUTH_SERVICES,
  defaultSettings,
  ANDROID_POLICIES,
  ENROLLMENT_EVIDENCE_SOURCES,
  MAMGATE_ONLY_SECTIONS,
  SECTION_NAMES,
} from '../../server/settings/model.ts';
import { SECRET_SETTINGS } from '../../server/settings/secrets.ts';

interface SchemaOption {
  display_name?: unknown;
  value?: unknown;
}
interface SchemaSetting {
  key?: unknown;
  display_name?: unknown;
  type?: unknown;
  help_text?: unknown;
  placeholder?: unknown;
  default?: unknown;
  options?: SchemaOption[];
  secret?: unknown;
  hosting?: unknown;
  [other: string]: unknown;
}
interface Manifest {
  id?: unknown;
  name?: unknown;
  description?: unknown;
  version?: unknown;
  min_server_version?: unknown;
  homepage_url?: unknown;
  support_url?: unknown;
  release_notes_url?: unknown;
  server?: unknown;
  webapp?: { bundle_path?: unknown };
  settings_schema?: { header?: unknown; footer?: unknown; settings?: SchemaSetting[] };
}

const root = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'plugin.json'), 'utf8')) as Manifest;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const settings = manifest.settings_schema?.settings ?? [];

const SETTING_TYPES = ['bool', 'dropdown', 'generated', 'radio', 'text', 'longtext', 'number', 'username', 'custom'];
const PLACEHOLDER_TYPES = ['generated', 'text', 'longtext', 'number', 'username', 'custom'];
const OPTION_TYPES = ['dropdown', 'radio'];
const SETTING_FIELDS = [
  'key',
  'display_name',
  'type',
  'help_text',
  'regenerate_help_text',
  'placeholder',
  'default',
  'options',
  'hosting',
  'secret',
];
/** Strict semver as newer Mattermost servers parse it: no leading "v", no leading zeros. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function nonBlank(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** A schema default for a model value: lists are comma-separated text (see plugin.json help texts). */
function schemaValueOf(modelValue: unknown): unknown {
  return Array.isArray(modelValue) ? modelValue.join(',') : modelValue;
}

function modelEntries(): [string, unknown][] {
  const defaults = defaultSettings() as unknown as Record<string, Record<string, unknown>>;
  return SECTION_NAMES.filter((section) => !MAMGATE_ONLY_SECTIONS.includes(section)).flatMap((section) =>
    Object.entries(defaults[section]!).map(([key, value]) => [`${section}.${key}`, value] as [string, unknown]),
  );
}

describe('plugin.json manifest (B4)', () => {
  test('top level: id, name, versions, webapp-only', () => {
    assert.equal(manifest.id, 'mamgate');
    assert.ok(typeof manifest.id === 'string' && manifest.id.length >= 3 && manifest.id.length <= 190);
    assert.match(manifest.id, /^[a-zA-Z0-9-_.]+$/);
    assert.equal(manifest.id, manifest.id.toLowerCase(), 'the server lower-cases ids: write it lower case');
    assert.ok(nonBlank(manifest.name), 'name is required');
    assert.ok(nonBlank(manifest.description));
    assert.match(String(manifest.version), SEMVER);
    assert.match(String(manifest.min_server_version), SEMVER);
    assert.equal(manifest.min_server_version, '10.1.0', 'the secret setting flag needs a server that knows it');
    for (const field of ['homepage_url', 'support_url', 'release_notes_url'] as const) {
      const value = manifest[field];
      if (value === undefined) continue;
      assert.ok(typeof value === 'string' && /^https?:\/\/\S+$/.test(value) && URL.canParse(value), `${field} must be http(s)`);
    }
    assert.equal(manifest.server, undefined, 'webapp-only plugin: the backend is the separate mamgate service');
    assert.equal(manifest.webapp?.bundle_path, 'webapp/dist/main.js');
  });

  test('the version is the package version', () => {
    assert.equal(manifest.version, pkg.version);
  });

  test('settings_schema has a header (docs pointer) and a footer about core Mattermost IntuneSettings', () => {
    const schema = manifest.settings_schema;
    assert.ok(schema && Array.isArray(schema.settings) && schema.settings.length > 0);
    assert.ok(nonBlank(schema.header));
    assert.match(String(schema.header), /https:\/\/\S+/);
    assert.ok(nonBlank(schema.footer));
    assert.match(String(schema.footer), /Environment › Mobile Security/);
    assert.match(String(schema.footer), /IntuneSettings/);
  });

  test('every setting is valid: type, display name, help, options and placeholders where allowed', () => {
    for (const s of settings) {
      const label = String(s.key);
      assert.ok(nonBlank(s.key), 'every setting has a key');
      assert.ok(SETTING_TYPES.includes(String(s.type)), `${label}: type ${String(s.type)} is not allowed`);
      assert.ok(nonBlank(s.display_name), `${label}: display_name`);
      assert.ok(nonBlank(s.help_text), `${label}: help_text tells the operator what it does`);
      for (const field of Object.keys(s)) assert.ok(SETTING_FIELDS.includes(field), `${label}: unknown field ${field}`);
      if (s.options !== undefined) {
        assert.ok(OPTION_TYPES.includes(String(s.type)), `${label}: options only on dropdown/radio`);
        assert.ok(Array.isArray(s.options) && s.options.length > 0, `${label}: options is a non-empty list`);
        for (const option of s.options) {
          assert.ok(nonBlank(option.display_name), `${label}: option display_name`);
          assert.ok(nonBlank(option.value), `${label}: option value`);
        }
      } else {
        assert.ok(!OPTION_TYPES.includes(String(s.type)), `${label}: a dropdown/radio needs options`);
      }
      if (s.placeholder !== undefined) {
        assert.ok(PLACEHOLDER_TYPES.includes(String(s.type)), `${label}: no placeholder on ${String(s.type)}`);
        assert.equal(typeof s.placeholder, 'string');
      }
      if (s.regenerate_help_text !== undefined) assert.equal(s.type, 'generated', `${label}: regenerate_help_text`);
      if (s.secret !== undefined) assert.equal(typeof s.secret, 'boolean', `${label}: secret is a bool`);
      if (s.hosting !== undefined) assert.ok(['cloud', 'on-prem'].includes(String(s.hosting)), `${label}: hosting`);
    }
  });

  test('keys are unique, also case-insensitively (the server lower-cases them when loading)', () => {
    const keys = settings.map((s) => String(s.key).toLowerCase());
    assert.equal(new Set(keys).size, keys.length);
  });

  test('the two custom settings of the admin console components are there', () => {
    const custom = settings.filter((s) => s.type === 'custom').map((s) => s.key);
    assert.deepEqual(custom.sort(), ['IdentityReport', 'StatusPanel']);
  });
});

describe('plugin.json settings_schema mirrors the settings model', () => {
  const described = settings.filter((s) => s.type !== 'custom');
  const byKey = new Map(described.map((s) => [String(s.key), s]));

  test('every model key has exactly one schema entry, and every schema entry is a model key', () => {
    const modelKeys = modelEntries().map(([key]) => key);
    for (const key of modelKeys) {
      assert.equal(described.filter((s) => s.key === key).length, 1, `${key}: exactly one schema entry`);
    }
    for (const s of described) assert.ok(modelKeys.includes(String(s.key)), `${String(s.key)} is not a setting of the model`);
  });

  test('defaults equal defaultSettings() (lists as comma-separated text)', () => {
    for (const [key, value] of modelEntries()) {
      const entry = byKey.get(key);
      assert.ok(entry, key);
      assert.deepEqual(entry.default, schemaValueOf(value), `${key}: default`);
    }
  });

  test('types fit the values: bool for booleans, number for numbers, text-like for strings and lists', () => {
    for (const [key, value] of modelEntries()) {
      const type = byKey.get(key)?.type;
      if (typeof value === 'boolean') assert.equal(type, 'bool', key);
      else if (typeof value === 'number') assert.equal(type, 'number', key);
      else if (Array.isArray(value)) assert.ok(type === 'text' || type === 'longtext', `${key}: a list is text or longtext`);
      else assert.ok(['text', 'longtext', 'dropdown', 'radio'].includes(String(type)), `${key}: ${String(type)}`);
    }
  });

  test('secret flags equal SECRET_SETTINGS', () => {
    const secretKeys = described.filter((s) => s.secret === true).map((s) => String(s.key));
    const pluginSecrets = SECRET_SETTINGS.filter(([section]) => !MAMGATE_ONLY_SECTIONS.includes(section));
    assert.deepEqual(secretKeys.sort(), pluginSecrets.map(([section, key]) => `${section}.${key}`).sort());
  });

  test('dropdowns offer exactly the values the rules accept', () => {
    const values = (key: string) => byKey.get(key)?.options?.map((o) => o.value);
    assert.deepEqual(values('IntuneSettings.AuthService'), [...AUTH_SERVICES]);
    assert.deepEqual(values('IntuneSettings.EnrollmentEvidence'), [...ENROLLMENT_EVIDENCE_SOURCES]);
    assert.deepEqual(values('IntuneSettings.AndroidPolicy'), [...ANDROID_POLICIES]);
    assert.deepEqual(
      byKey.get('IntuneSettings.AuthService')?.options?.map((o) => o.display_name),
      ['OpenID Connect (Office 365)', 'SAML 2.0'],
    );
    assert.deepEqual(values('IntuneSettings.IdAttribute'), ['objectId']);
  });

  test("placeholders are Mattermost's for the tenant and client ids", () => {
    assert.equal(byKey.get('IntuneSettings.TenantId')?.placeholder, 'E.g.: "12345678-1234-1234-1234-123456789012"');
    assert.equal(byKey.get('IntuneSettings.ClientId')?.placeholder, 'E.g.: "87654321-4321-4321-4321-210987654321"');
  });
});
