// The page frame (breadcrumb and title) and the Intune section's heading, with the Entry badge.
import type { ReactNode } from 'react';

export function MobileSecurityPage({ children }: { children: ReactNode }) {
  return (
    <>
      <p className="breadcrumb">Environment › Mobile Security</p>
      <h1 tabIndex={-1}>Mobile Security</h1>
      {children}
    </>
  );
}

export function IntuneHeading({ sku }: { sku?: string }) {
  return (
    <div className="section-heading">
      <h2 className="section-title" id="intune-title">
        Microsoft Intune
        {sku?.toLowerCase() === 'entry' ? <span className="license-badge">Entry</span> : null}
      </h2>
      <p className="section-sub">Configure Microsoft Intune Mobile Application Management (MAM) for App Protection Policies</p>
    </div>
  );
}
