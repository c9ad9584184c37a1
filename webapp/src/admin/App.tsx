// Sign-in gate and page frame. The admin token lives only in sessionStorage (this tab, this browser session);
// signing out removes it, and any 401 from the service removes it and returns to the form.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi, type MamgateApi } from '../api/client.ts';
import { ActivityPage } from './pages/ActivityPage.tsx';
import { EvidencePage } from './pages/EvidencePage.tsx';
import { IdentityPage } from './pages/IdentityPage.tsx';
import { IntunePage } from './pages/IntunePage.tsx';
import { AdminTokensPage } from './pages/AdminTokensPage.tsx';
import { PreflightPage } from './pages/PreflightPage.tsx';
import { SettingsHistoryPage } from './pages/SettingsHistoryPage.tsx';
import { UserPage } from './pages/UserPage.tsx';
import { timeZoneLabel } from '../shared/labels.ts';
import { BASE_PATH, navigate, PAGES, pageOf, usePathname } from './router.ts';
import { SignIn } from './SignIn.tsx';

export const TOKEN_KEY = 'mamgate.admin-token';

/** Chart.js is most of the charts page's weight: loaded (from this service) only when the page is opened. */
const ChartsPage = lazy(() => import('./pages/ChartsPage.tsx').then((module) => ({ default: module.ChartsPage })));

function storedToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function App() {
  const [token, setToken] = useState<string | null>(storedToken);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback((message: string | null) => {
    window.sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setNotice(message);
  }, []);

  const api = useMemo(
    () =>
      token
        ? createApi({
            headers: () => ({ Authorization: `Bearer ${token}` }),
            onUnauthorized: (error) =>
              signOut(`Signed out: the service no longer accepts this admin token. ${error.message} Sign in again.`),
          })
        : null,
    [token, signOut],
  );

  if (!token || !api) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(value) => {
          window.sessionStorage.setItem(TOKEN_KEY, value);
          setNotice(null);
          setToken(value);
        }}
      />
    );
  }
  return <Shell api={api} onSignOut={() => signOut('You signed out; the admin token was removed from this browser.')} />;
}

function Shell({ api, onSignOut }: { api: MamgateApi; onSignOut: () => void }) {
  const pathname = usePathname();
  const page = pageOf(pathname);
  const title = PAGES.find((p) => p.path === page)?.title ?? 'Page not found';
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = `${title} · mamgate admin`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // After a page change, move focus to the new page's heading so keyboard and screen-reader users start there.
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [title]);

  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          mamgate <span className="brand-sub">admin</span>
        </span>
        <span className="topbar-end">
          <span className="time-zone" title="Every time on these pages is ISO-8601 in this time zone">
            Times: {timeZoneLabel()}
          </span>
          <button type="button" className="button button-quiet" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <nav className="tabs" aria-label="Admin pages">
        <ul>
          {PAGES.filter((p) => p.nav !== null).map((p) => (
            <li key={p.path}>
              <a
                href={`${BASE_PATH}${p.path}`}
                aria-current={p.path === page ? 'page' : undefined}
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  navigate(p.path);
                }}
              >
                {p.nav}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {page === 'intune' ? <IntunePage api={api} /> : null}
        {page === 'preflight' ? <PreflightPage api={api} /> : null}
        {page === 'identity' ? <IdentityPage api={api} /> : null}
        {page === 'activity' ? <ActivityPage api={api} /> : null}
        {page === 'evidence' ? <EvidencePage api={api} /> : null}
        {page === 'charts' ? (
          <Suspense fallback={<p role="status">Loading the charts…</p>}>
            <ChartsPage api={api} />
          </Suspense>
        ) : null}
        {page === 'settings-history' ? <SettingsHistoryPage api={api} /> : null}
        {page === 'admin-tokens' ? <AdminTokensPage api={api} /> : null}
        {page === 'users' ? <UserPage api={api} /> : null}
        {page === null ? (
          <>
            <h1 tabIndex={-1}>Page not found</h1>
            <p>There is no admin page at this address. Choose a page above.</p>
          </>
        ) : null}
      </main>
    </div>
  );
}
