// A small history router for the pages under /plugins/mamgate/admin/ (the service answers index.html for
// every client route, so a reload or a bookmarked page works).
import { useEffect, useState } from 'react';

export const BASE_PATH = '/plugins/mamgate/admin/';

/** nav null: a page reached by links only (a user's detail, /users/{id}). */
export const PAGES = [
  { path: 'intune', title: 'Microsoft Intune', nav: 'Microsoft Intune' },
  { path: 'preflight', title: 'Preflight', nav: 'Preflight' },
  { path: 'identity', title: 'Identity alignment', nav: 'Identity alignment' },
  { path: 'activity', title: 'Enrollments and audit', nav: 'Enrollments and audit' },
  { path: 'evidence', title: 'Enrollment evidence', nav: 'Evidence' },
  { path: 'charts', title: 'Charts', nav: 'Charts' },
  { path: 'settings-history', title: 'Settings history', nav: 'Settings history' },
  { path: 'admin-tokens', title: 'Admin tokens', nav: 'Admin tokens' },
  { path: 'users', title: 'User', nav: null },
] as const;
export type PagePath = (typeof PAGES)[number]['path'];

function restOf(pathname: string): string[] {
  const rest = pathname.startsWith(BASE_PATH) ? pathname.slice(BASE_PATH.length) : pathname.replace(/^\/+/, '');
  return rest.split('/');
}

/** The page of the current URL: '' (the start page) is Microsoft Intune; an unknown path is null. */
export function pageOf(pathname: string): PagePath | null {
  const first = restOf(pathname)[0] ?? '';
  if (first === '' || first === 'index.html') return 'intune';
  return PAGES.some((p) => p.path === first) ? (first as PagePath) : null;
}

/** The part after the page, e.g. the user id of /users/{id}; '' when there is none. */
export function pageParam(pathname: string): string {
  const second = restOf(pathname)[1] ?? '';
  try {
    return decodeURIComponent(second);
  } catch {
    return '';
  }
}

/** The address of a user's detail page. */
export function userPath(userId: string): string {
  return `users/${encodeURIComponent(userId)}`;
}

const listeners = new Set<() => void>();

/** Leaves the page only when the page agrees (unsaved changes); a history entry per page. */
let leaveGuard: (() => boolean) | null = null;
export function setLeaveGuard(guard: (() => boolean) | null): void {
  leaveGuard = guard;
}

/** path: a page, or a page and its parameter (users/{id}). */
export function navigate(path: string): void {
  if (leaveGuard && !leaveGuard()) return;
  window.history.pushState(null, '', `${BASE_PATH}${path}`);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  const [pathname, setPathname] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPathname(window.location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return pathname;
}
