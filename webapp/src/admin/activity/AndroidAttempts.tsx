// Intune MAM is not available on Android: how many protected Android clients came, and what AndroidPolicy did.
import { useEffect, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';

export function AndroidAttempts({ api }: { api: MamgateApi }) {
  const [text, setText] = useState('Loading…');
  useEffect(() => {
    let current = true;
    api
      .androidAttempts()
      .then(
        (a) =>
          current &&
          setText(`${a.total} in the last 7 days: ${a.refused} refused, ${a.allowed_unprotected} let through unprotected, ${a.held_for_evidence} held for evidence.`),
      )
      .catch((caught) => current && setText(errorText(caught)));
    return () => {
      current = false;
    };
  }, [api]);
  return (
    <section className="activity-section" aria-labelledby="android-title">
      <h2 id="android-title">Protected Android clients</h2>
      <p>{text}</p>
    </section>
  );
}
