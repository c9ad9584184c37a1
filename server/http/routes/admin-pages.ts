// The standalone admin pages (webapp/dist/admin, built by `npm run build:webapp`) at /plugins/mamgate/admin/.
// Hashed assets are cached for a year; index.html is answered for every client route and never cached; every
// answer carries a Content-Security-Policy that allows this origin only (no fonts, scripts or APIs elsewhere).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { INSTALL_ROOT } from '../../install-root.ts';
import { ROUTE_LABEL } from '../request-context.ts';

export const ADMIN_PAGES_DIR = path.join(INSTALL_ROOT, 'webapp/dist/admin');

export const ADMIN_PAGES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mamgate admin pages not built</title></head>
<body><h1>The admin pages are not built</h1>
<p>Run <code>npm run build:webapp</code> in the mamgate folder (<code>npm install</code> runs it), then reload.</p>
</body></html>
`;

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', ADMIN_PAGES_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
}

/** Mount at `${PLUGIN_BASE}/admin`. `root` is for tests; by default the built pages of this checkout. */
export function adminPagesRoutes(options: { root?: string } = {}): Router {
  const root = options.root ?? ADMIN_PAGES_DIR;
  const indexFile = path.join(root, 'index.html');
  const router = Router();
  router.use(securityHeaders);
  // No route patterns here: the pages and assets get one fixed label each in the HTTP metrics, never the path.
  router.use('/assets', (req, res, next) => {
    res.locals[ROUTE_LABEL] = `${req.baseUrl}/*`;
    next();
  });
  router.use((req, res, next) => {
    res.locals[ROUTE_LABEL] ??= `${req.baseUrl}/*`;
    next();
  });

  // Files under assets/ carry a content hash in their name: a new build gets new names.
  router.use(
    '/assets',
    express.static(path.join(root, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      etag: true,
      lastModified: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  // A missing asset is a 404 (the app's not-found AppError), never index.html.
  router.use('/assets', (_req, _res, next) => next('router'));

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A path with a file extension is a file: only index.html is served outside assets/.
    const last = req.path.split('/').pop() ?? '';
    if (last.includes('.') && last !== 'index.html') return next();
    const [pathname, search] = splitUrl(req.originalUrl);
    if (req.path === '/' && !pathname.endsWith('/')) {
      res.redirect(301, `${pathname}/${search}`);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (!existsSync(indexFile)) {
      res.status(503).type('html').send(NOT_BUILT_PAGE);
      return;
    }
    // Read on each request (a few hundred bytes): a rebuild is served without a restart.
    res.status(200).type('html').send(readFileSync(indexFile));
  });
  return router;
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}
