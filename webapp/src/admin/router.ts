// A small history router for the pages under /plugins/mamgate/admin/ (the service answers index.html for
// every client route, so a reload or a bookmarked page works).
import { useEffect, useState } from 'react';

export const BASE_PATH = '/plugins/mamgate/admin/';

export const PAGES = [
  { path: 'intune', title: 'Microsoft Intune', nav: 'Microsoft Intune' },
  { path: 'preflight', title: 'Preflight', nav: 'Preflight' },
  { path: 'identity', title: 'Identity alignment', nav: 'Identity alignment' },
  { path: 'activity', title: 'Enrollments and audit', nav: 'Enrollments and audit' },
  { path: 'evidence', title: 'Enrollment evidence', nav: 'Evidence' },
] as const;
export type PagePath = (typeof PAGES)[number]['path'];

/** The page of the current URL: '' (the start page) is Microsoft Intune; an unknown path is null. */
export function pageOf(pathname: string): PagePath | null {
  const rest = pathname.startsWith(BASE_PATH) ? pathname.slice(BASE_PATH.length) : pathname.replace(/^\/+/, '');
  const first = rest.split('/')[0] ?? '';
  if (first === '' || first === 'index.html') return 'intune';
  return PAGES.some((p) => p.path === first) ? (first as PagePath) : null;
}

const listeners = new Set<() => void>();

/** Leaves the page only when the page agrees (unsaved changes); a history entry per page. */
let leaveGuard: (() => boolean) | null = null;
export function setLeaveGuard(guard: (() => boolean) | null): void {
  leaveGuard = guard;
}

export function navigate(path: PagePath): void {
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
