// `npm run bundle` → dist/<id>-<version>.tar.gz, unpacked with the system's tar and checked against what a chat
// server's plugin upload expects (reference/tunnel-and-plugin.md B6: one top-level folder holding plugin.json and
// the webapp bundle) and the manifest rules of B4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from './support/build.ts';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const SETTING_TYPES = ['bool', 'dropdown', 'generated', 'radio', 'text', 'longtext', 'number', 'username', 'custom'];
const PLACEHOLDER_TYPES = ['generated', 'text', 'longtext', 'number', 'username', 'custom'];
const OPTION_TYPES = ['dropdown', 'radio'];
const EXECUTABLE_KEYS = ['linux-amd64', 'linux-arm64', 'darwin-amd64', 'darwin-arm64', 'windows-amd64'];

interface Setting {
  key?: unknown;
  display_name?: unknown;
  type?: unknown;
  placeholder?: unknown;
  options?: { display_name?: unknown; value?: unknown }[];
  regenerate_help_text?: unknown;
  hosting?: unknown;
  secret?: unknown;
}

/** The manifest checks of B4 (manifest.go IsValid and what newer servers parse strictly); returns the problems. */
function manifestProblems(m: Record<string, any>): string[] {
  const problems: string[] = [];
  const nonBlank = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (!(typeof m.id === 'string' && m.id.length >= 3 && m.id.length <= 190 && /^[a-zA-Z0-9-_.]+$/.test(m.id))) problems.push('id');
  if (typeof m.id === 'string' && m.id !== m.id.toLowerCase()) problems.push('id must be lower case');
  if (!nonBlank(m.name)) problems.push('name');
  for (const field of ['homepage_url', 'support_url', 'release_notes_url']) {
    if (m[field] !== undefined && !(typeof m[field] === 'string' && /^https?:\/\/\S+$/.test(m[field]))) problems.push(field);
  }
  if (m.icon_path !== undefined && !String(m.icon_path).endsWith('.svg')) problems.push('icon_path');
  if (!SEMVER.test(String(m.version))) problems.push('version');
  if (m.min_server_version !== undefined && !SEMVER.test(String(m.min_server_version))) problems.push('min_server_version');
  if (m.server?.executables) {
    for (const key of Object.keys(m.server.executables)) if (!EXECUTABLE_KEYS.includes(key)) problems.push(`server.executables.${key}`);
  }
  if (m.webapp !== undefined && !nonBlank(m.webapp.bundle_path)) problems.push('webapp.bundle_path');
  const settings: Setting[] = m.settings_schema?.settings ?? [];
  for (const s of settings) {
    const key = String(s.key);
    if (!nonBlank(s.key)) problems.push('setting without key');
    if (!SETTING_TYPES.includes(String(s.type))) problems.push(`${key}: type`);
    if (s.placeholder !== undefined && !PLACEHOLDER_TYPES.includes(String(s.type))) problems.push(`${key}: placeholder`);
    if (s.options !== undefined) {
      if (!OPTION_TYPES.includes(String(s.type))) problems.push(`${key}: options`);
      for (const o of s.options) if (!nonBlank(o.display_name) || !nonBlank(o.value)) problems.push(`${key}: option`);
    } else if (OPTION_TYPES.includes(String(s.type))) problems.push(`${key}: needs options`);
    if (s.regenerate_help_text !== undefined && s.type !== 'generated') problems.push(`${key}: regenerate_help_text`);
    if (s.hosting !== undefined && !['cloud', 'on-prem'].includes(String(s.hosting))) problems.push(`${key}: hosting`);
    if (s.secret !== undefined && typeof s.secret !== 'boolean') problems.push(`${key}: secret`);
  }
  const keys = settings.map((s) => String(s.key).toLowerCase());
  if (new Set(keys).size !== keys.length) problems.push('duplicate setting keys (case-insensitive)');
  return problems;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? filesUnder(full, rel) : [rel];
  });
}

describe('npm run bundle (B6 layout, B4 manifest)', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const archive = path.join(ROOT, 'dist', `mamgate-${pkg.version}.tar.gz`);
  let out = '';

  before(() => {
    const run = spawnSync('npm', ['run', '--silent', 'bundle'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout.trim(), new RegExp(`dist/mamgate-${pkg.version.replace(/\./g, '\\.')}\\.tar\\.gz$`));
    out = mkdtempSync('/tmp/mamgate-bundle-');
    const untar = spawnSync('tar', ['-xzf', archive, '-C', out], { encoding: 'utf8' });
    assert.equal(untar.status, 0, untar.stderr);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  test('the archive is dist/mamgate-<version>.tar.gz with one top-level folder mamgate/', () => {
    assert.ok(existsSync(archive));
    assert.deepEqual(readdirSync(out), ['mamgate']);
    assert.ok(statSync(path.join(out, 'mamgate')).isDirectory());
    const listing = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' }).stdout.trim().split('\n');
    for (const entry of listing) {
      assert.ok(entry.startsWith('mamgate/'), `${entry} is inside mamgate/`);
      assert.ok(!entry.split('/').includes('..') && !entry.startsWith('/'), `${entry} is a safe path`);
    }
  });

  test('the folder holds plugin.json and the webapp bundle, nothing else', () => {
    const root = path.join(out, 'mamgate');
    assert.deepEqual(filesUnder(root).sort(), ['plugin.json', 'webapp/dist/main.js']);
    assert.equal(readFileSync(path.join(root, 'plugin.json'), 'utf8'), readFileSync(path.join(ROOT, 'plugin.json'), 'utf8'));
    assert.equal(
      readFileSync(path.join(root, 'webapp/dist/main.js'), 'utf8'),
      readFileSync(path.join(ROOT, 'webapp/dist/main.js'), 'utf8'),
    );
    assert.match(readFileSync(path.join(root, 'webapp/dist/main.js'), 'utf8'), /registerPlugin\(/);
  });

  test('plugin.json in the bundle is valid by the manifest rules (B4) and points at the bundled webapp', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'mamgate/plugin.json'), 'utf8'));
    assert.deepEqual(manifestProblems(manifest), []);
    assert.equal(manifest.id, 'mamgate', 'the folder is named after the id');
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.server, undefined, 'webapp-only: no server executable to ship');
    assert.ok(existsSync(path.join(out, 'mamgate', manifest.webapp.bundle_path)), 'webapp.bundle_path exists in the bundle');
    const custom = manifest.settings_schema.settings.filter((s: Setting) => s.type === 'custom').map((s: Setting) => s.key);
    assert.deepEqual(custom.sort(), ['IdentityReport', 'StatusPanel']);
  });

  test('the manifest check itself refuses what B4 forbids', () => {
    const good = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8'));
    const broken = {
      ...good,
      id: 'Mam Gate!',
      version: 'v0.1.0',
      settings_schema: { settings: [{ key: 'A', type: 'bool', placeholder: 'x' }, { key: 'a', type: 'dropdown' }] },
    };
    assert.deepEqual(manifestProblems(broken).sort(), [
      'A: placeholder',
      'a: needs options',
      'duplicate setting keys (case-insensitive)',
      'id',
      'id must be lower case',
      'version',
    ]);
  });
});
