// The routes an Express app answers, read from its router stack (Express 5, router 2: a mounted router's path is
// its layer's rawPath). For the OpenAPI contract test: every route must be in the document.
import type { Express } from 'express';

export interface ListedRoute {
  method: string;
  /** OpenAPI form: {name} for an Express :name parameter. */
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function walk(stack: Layer[], prefix: string, out: ListedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        if (method !== '_all') out.push({ method, path: `${prefix}${layer.route.path}`.replace(/:(\w+)/g, '{$1}') });
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, `${prefix}${mount}`, out);
    }
  }
}

export function listRoutes(app: Express): ListedRoute[] {
  const out: ListedRoute[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out);
  return out;
}
