// What the plugin takes from the chat server's webapp: its Redux store (for SiteURL) and its session (cookie,
// with the CSRF header the server wants on writes; reference/tunnel-and-plugin.md B5).
import { parse } from 'cookie';
import { createApi, type MamgateApi, PLUGIN_PATH } from '../api/client.ts';

export interface HostStore {
  getState(): unknown;
}

let hostStore: HostStore | undefined;

/** Kept by Plugin.initialize: the console components read SiteURL from it when they mount. */
export function setHostStore(store: HostStore | undefined): void {
  hostStore = store;
}

export function getHostStore(): HostStore | undefined {
  return hostStore;
}

/** SiteURL from the host's client config, else this page's origin. */
export function siteUrlOf(store: HostStore | undefined): string {
  const state = store?.getState() as { entities?: { general?: { config?: { SiteURL?: string } } } } | undefined;
  const siteUrl = state?.entities?.general?.config?.SiteURL;
  if (siteUrl) return siteUrl.replace(/\/+$/, '');
  return typeof window !== 'undefined' && window.location ? window.location.origin : '';
}

/** This page's cookie by name, read by the `cookie` package (a malformed value is left as written, never thrown). */
function cookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return parse(document.cookie)[name];
}

export function hostHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
  const csrf = cookie('MMCSRF');
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  return headers;
}

export function hostApi(store: HostStore | undefined): MamgateApi {
  return createApi({ siteUrl: siteUrlOf(store), credentials: 'include', headers: hostHeaders });
}

export function adminPagesUrl(store: HostStore | undefined, page = ''): string {
  return `${siteUrlOf(store)}${PLUGIN_PATH}/admin/${page}`;
}
