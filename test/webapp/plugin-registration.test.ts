// The built plugin bundle (webapp/dist/main.js) loaded in a vm context the way the chat server's webapp loads it:
// a window with the host's React and a registerPlugin that hands the plugin a registry recording every call.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import vm from 'node:vm';
import { ensureWebappBuilt, ROOT } from './support/build.ts';

const require = createRequire(import.meta.url);
const React = require('react') as typeof import('react');
const { renderToStaticMarkup } = require('react-dom/server') as typeof import('react-dom/server');

interface Call {
  method: string;
  args: unknown[];
}

function loadBundle(options: { siteUrl?: string } = {}) {
  const code = readFileSync(path.join(ROOT, 'webapp/dist/main.js'), 'utf8');
  const calls: Call[] = [];
  const registered: { id: string; plugin: { initialize: (registry: unknown, store: unknown) => void } }[] = [];
  const registry = new Proxy(
    {},
    {
      get: (_target, method: string) =>
        (...args: unknown[]) => {
          calls.push({ method, args });
        },
    },
  );
  const store = {
    getState: () => ({ entities: { general: { config: { SiteURL: options.siteUrl ?? 'https://chat.example.com' } } } }),
    dispatch: () => undefined,
    subscribe: () => () => undefined,
  };
  const sandbox: Record<string, unknown> = {
    React,
    ReactDOM: {},
    Redux: {},
    ReactRedux: {},
    PropTypes: {},
    console,
    registerPlugin: (id: string, plugin: (typeof registered)[number]['plugin']) => registered.push({ id, plugin }),
  };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(code, sandbox, { filename: 'main.js' });
  return { calls, registered, registry, store, sandbox };
}

describe('plugin bundle registration (webapp/dist/main.js)', () => {
  before(() => ensureWebappBuilt());

  test('the bundle calls window.registerPlugin("mamgate", plugin) once, when loaded', () => {
    const { registered } = loadBundle();
    assert.equal(registered.length, 1);
    assert.equal(registered[0]!.id, 'mamgate');
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as { id: string };
    assert.equal(registered[0]!.id, manifest.id);
    assert.equal(typeof registered[0]!.plugin.initialize, 'function');
  });

  test('initialize registers an admin console component for each custom setting of plugin.json', () => {
    const { registered, calls, registry, store } = loadBundle();
    registered[0]!.plugin.initialize(registry, store);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {
      settings_schema: { settings: { key: string; type: string }[] };
    };
    const customKeys = manifest.settings_schema.settings.filter((s) => s.type === 'custom').map((s) => s.key);
    const settingCalls = calls.filter((c) => c.method === 'registerAdminConsoleCustomSetting');
    assert.deepEqual(settingCalls.map((c) => c.args[0]), ['StatusPanel', 'IdentityReport']);
    assert.deepEqual([...customKeys].sort(), settingCalls.map((c) => c.args[0]).sort(), 'every custom setting has a component');
    for (const call of settingCalls) {
      assert.equal(typeof call.args[1], 'function', `${String(call.args[0])}: a component`);
      assert.deepEqual({ ...(call.args[2] as object) }, { showTitle: true }, 'the setting keeps its title (vm realm object, copied)');
    }
    assert.deepEqual(
      calls.map((c) => c.method),
      ['registerAdminConsoleCustomSetting', 'registerAdminConsoleCustomSetting'],
      'nothing else is registered',
    );
  });

  test("the components render with the host's React and point at the plugin's routes under SiteURL", () => {
    const { registered, calls, registry, store } = loadBundle({ siteUrl: 'https://chat.example.com/team-chat/' });
    registered[0]!.plugin.initialize(registry, store);
    const [status, identity] = calls.map((c) => c.args[1] as (props: object) => unknown);
    const props = { id: 'PluginSettings.Plugins.mamgate.statuspanel', label: 'Status:', helpText: 'help', value: undefined, disabled: false };
    const statusHtml = renderToStaticMarkup(React.createElement(status as never, props));
    assert.match(statusHtml, /data-mamgate="status-panel"/);
    assert.match(statusHtml, /Run the checks again/);
    const identityHtml = renderToStaticMarkup(React.createElement(identity as never, { ...props, id: 'x' }));
    assert.match(identityHtml, /Run identity report/);
    assert.match(identityHtml, /href="https:\/\/chat\.example\.com\/team-chat\/plugins\/mamgate\/admin\/identity"/);
  });

  test('React and the host libraries are externals: the bundle carries no React of its own', () => {
    const code = readFileSync(path.join(ROOT, 'webapp/dist/main.js'), 'utf8');
    assert.match(code, /^var MamgatePlugin=\(function\(/, 'an IIFE');
    assert.match(code, /\}\)\(\{\},React\);\s*$/, 'React comes from the global the host defines');
    assert.doesNotMatch(code, /__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE|react\.transitional\.element|ReactCurrentDispatcher/);
    assert.ok(code.length < 60_000, `small bundle (${code.length} bytes)`);
    assert.doesNotMatch(code, /\bimport\s*\(|\brequire\(/, 'no module loading at run time');
  });
});
