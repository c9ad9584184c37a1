// A link to another admin page that changes the page without a reload (a modified click opens a new tab as usual).
import type { ReactNode } from 'react';
import { BASE_PATH, navigate } from '../router.ts';

export function AppLink({ to, children, className, label }: { to: string; children: ReactNode; className?: string; label?: string }) {
  return (
    <a
      href={`${BASE_PATH}${to}`}
      className={className}
      aria-label={label}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
