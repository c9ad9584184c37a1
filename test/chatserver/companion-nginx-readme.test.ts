// The README's companion walkthrough writes the nginx configuration the end-to-end test runs: the two are one text
// (test/support/nginx.ts's template with the README's ports), so neither can drift from the other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { companionNginxConfig, README_ADDRESSES } from '../support/nginx.ts';

const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const OPEN = "cat > nginx-companion/nginx.conf <<'NGINX'\n";

test("the README's companion nginx.conf is the configuration the end-to-end test runs", () => {
  const start = README.indexOf(OPEN);
  assert.ok(start >= 0, `the README has no "${OPEN.trim()}" block`);
  const body = README.slice(start + OPEN.length);
  const end = body.indexOf('\nNGINX\n');
  assert.ok(end >= 0, 'the heredoc is not closed by a line "NGINX"');
  assert.equal(body.slice(0, end + 1), companionNginxConfig(README_ADDRESSES));
  assert.equal(README.indexOf(OPEN, start + 1), -1, 'one copy of the configuration in the README');
});
