// What the page shows instead of the form when the license does not qualify for Intune.
import type { License } from '../../api/types.ts';
import { DOCS_URL } from '../schema.ts';

export function LicenseUpsell({ license }: { license: License }) {
  const expired = license.IsLicensed && license.ExpiresAt !== undefined && license.ExpiresAt <= Date.now();
  const current = !license.IsLicensed
    ? 'No license is installed.'
    : expired
      ? `The ${license.SkuShortName} license has expired.`
      : `The installed license is ${license.SkuName ? `${license.SkuName} (${license.SkuShortName})` : license.SkuShortName}.`;
  return (
    <section className="upsell" aria-labelledby="upsell-title" data-testid="intune-license-required">
      <h3 id="upsell-title">Protect mobile data with Microsoft Intune App Protection Policies (MAM) and Entra ID authentication</h3>
      <p>
        Microsoft Intune MAM needs a <strong>Mattermost Enterprise Advanced</strong> license (or Entry). {current} Until
        then the Intune settings are not offered and mobile clients are not told to use Intune.
      </p>
      <p>
        Install a qualifying license, for example with <code>npx mamgate license set --sku advanced</code>, then reload
        this page.
      </p>
      <p>
        <a href={DOCS_URL} target="_blank" rel="noreferrer">
          Learn more about Microsoft Intune MAM
        </a>
      </p>
    </section>
  );
}
