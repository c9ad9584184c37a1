// How the service serves the standalone admin pages at /plugins/mamgate/admin/: content types, index.html for
// client routes (never cached), hashed assets cached for a year, a strict CSP with no external origin, 404s that
// never fall back to the page, and a clear answer when the pages are not built.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { ADMIN_PAGES_CSP, adminPagesRoutes } from '../../server/http/routes/admin-pages.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { ensureWebappBuilt, ROOT } from './support/build.ts';

const PAGES = '/plugins/mamgate/admin';

describe('admin pages route', () => {
  let service: TestService;
  let html = '';
  let assets: string[] = [];

  before(async () => {
    ensureWebappBuilt();
    service = await startTestService();
    html = readFileSync(path.join(ROOT, 'webapp/dist/admin/index.html'), 'utf8');
    assets = [...html.matchAll(/(?:src|href)="(\/plugins\/mamgate\/admin\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  });
  after(() => service?.close());

  const get = (p: string, init: RequestInit = {}) => fetch(`${service.url}${p}`, { redirect: 'manual', ...init });

  test('the page is answered at the folder, with a redirect from the bare path', async () => {
    const bare = await get(`${PAGES}?x=1`);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), `${PAGES}/?x=1`);
    const page = await get(`${PAGES}/`);
    assert.equal(page.status, 200, 'the admin-pages route is registered in server/http/app.ts');
    assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(await page.text(), html);
  });

  test('client routes get index.html, so a reload or a bookmark works', async () => {
    for (const route of ['intune', 'preflight', 'identity', 'activity', 'identity/anything/deeper', 'index.html']) {
      const answer = await get(`${PAGES}/${route}`);
      assert.equal(answer.status, 200, route);
      assert.equal(answer.headers.get('cache-control'), 'no-store', route);
      assert.equal(await answer.text(), html, route);
    }
    const head = await get(`${PAGES}/identity`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('hashed assets have their content type and a year-long immutable cache', async () => {
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), assets.join(', '));
    for (const asset of assets) {
      assert.match(asset, /-[A-Za-z0-9_-]{8}\.(js|css)$/, 'a content hash in the name');
      const answer = await get(asset);
      assert.equal(answer.status, 200, asset);
      assert.match(answer.headers.get('content-type') ?? '', asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      assert.equal(answer.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
      await answer.arrayBuffer();
    }
  });

  test('every answer carries a strict Content-Security-Policy with no external origin', async () => {
    for (const p of [`${PAGES}/`, `${PAGES}/identity`, assets[0]!]) {
      const answer = await get(p);
      const csp = answer.headers.get('content-security-policy') ?? '';
      assert.equal(csp, ADMIN_PAGES_CSP);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /connect-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
      assert.equal(answer.headers.get('x-frame-options'), 'DENY');
      assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
      await answer.arrayBuffer();
    }
  });

  test('the built pages name no external origin for fonts, styles or scripts', () => {
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    for (const asset of assets.filter((a) => a.endsWith('.css'))) {
      const css = readFileSync(path.join(ROOT, 'webapp/dist/admin', asset.replace(`${PAGES}/`, '')), 'utf8');
      assert.doesNotMatch(css, /@import|@font-face|url\(\s*['"]?(https?:)?\/\//);
    }
  });

  test('missing files are 404 AppErrors, never the page; other methods are not served', async () => {
    for (const p of [`${PAGES}/assets/missing-12345678.js`, `${PAGES}/favicon.ico`, `${PAGES}/assets/..%2f..%2fplugin.json`, `${PAGES}/assets/`]) {
      const answer = await get(p);
      assert.equal(answer.status, 404, p);
      const body = (await answer.json()) as { id: string };
      assert.equal(body.id, 'mamgate.request.not_found.app_error', p);
    }
    const post = await get(`${PAGES}/`, { method: 'POST' });
    assert.equal(post.status, 404);
    await post.arrayBuffer();
  });

  test('without a build the route says how to build the pages', async () => {
    const empty = mkdtempSync('/tmp/mamgate-pages-');
    const app = express();
    app.use(PAGES, adminPagesRoutes({ root: empty }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}${PAGES}/`);
      assert.equal(answer.status, 503);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.match(await answer.text(), /npm run build:webapp/);
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
