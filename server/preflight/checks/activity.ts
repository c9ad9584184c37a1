// Checks of what the service has seen: recent sign-ins, SAML assertions, the latest identity report,
// enrollment failures by cause, and protected Android clients.
import { androidAttempts } from '../../enrollment/android-attempts.ts';
import { FAILURE_CAUSES, type FailureCause } from '../../enrollment/classify-failure.ts';
import { auditStore } from '../../db/stores/audit-store.ts';
import { enrollmentStore } from '../../db/stores/enrollment-store.ts';
import { identityStore } from '../../db/stores/identity-store.ts';
import { reportStore } from '../../db/stores/report-store.ts';
import { IDENTITY_REPORT } from '../../identity/report/report-jobs.ts';
import { entryFor } from '../../errors/catalogue.ts';
import { type Check, fail, pass, warn } from '../check.ts';
import type { Database } from '../../db/connect.ts';
import type { ErrorId } from '../../errors/catalogue.ts';

const DAY = 86_400_000;

export const recentTokensCheck: Check = {
  id: 'recent_tokens',
  title: 'Recent access tokens are v2 and carry oid',
  async run({ db, now }) {
    const since = new Date(now - 7 * DAY);
    const rows = await auditStore.intuneSignInsByTokenVersion(db, since);
    const count = (predicate: (r: (typeof rows)[number]) => boolean) => rows.filter(predicate).reduce((sum, r) => sum + r.n, 0);
    const v2 = count((r) => r.outcome === 'success' && r.version === '2.0');
    const v1 = count((r) => r.outcome === 'success' && r.version === '1.0');
    const missingOid = count((r) => r.error_id === 'ent.intune.validate_token.missing_claims.app_error');
    const evidence = `last 7 days: ${v2} v2 sign-in(s), ${v1} v1, ${missingOid} refused for a missing claim`;
    if (missingOid > 0) return fail(evidence, 'ent.intune.validate_token.missing_claims.app_error');
    if (v1 > 0) return warn(evidence, 'Set accessTokenAcceptedVersion = 2 in the API app registration manifest so tokens are v2.');
    if (v2 === 0) return warn(`${evidence}: nothing to judge yet`, 'Sign in once from a test device to verify the token path end to end.');
    return pass(evidence);
  },
};

export const samlObjectIdCheck: Check = {
  id: 'saml_objectidentifier',
  title: 'The SAML IdP sends objectidentifier',
  async run({ db, settings, now }) {
    if (!settings.SamlSettings.Enable) return pass('SAML is not enabled; nothing to check');
    const since = new Date(now - 7 * DAY);
    const { seen: total, withObjectId: good } = await identityStore.seenSince(db, 'saml', since);
    const evidence = `last 7 days: ${total} SAML assertion(s) recorded, ${good} with objectidentifier`;
    if (total === 0) return warn(`${evidence}: nothing to judge yet`, 'Sign in once through /plugins/mamgate/saml/login to verify the IdP sends objectidentifier.');
    if (good < total) {
      return fail(evidence, 'model.config.is_valid.saml_id_attribute.app_error', 'Add the objectidentifier claim to the Entra enterprise application\'s SAML attributes & claims.');
    }
    return pass(evidence);
  },
};

/** The errors the report's rows of these statuses predict, most frequent first. */
async function errorsMet(db: Database, runId: string, statuses: string[]): Promise<{ error_id: ErrorId; n: number }[]> {
  // The report writes catalogue ids only (alignment-status.ts).
  return (await reportStore.errorCounts(db, runId, statuses)) as { error_id: ErrorId; n: number }[];
}

export const identityAlignmentCheck: Check = {
  id: 'identity_alignment',
  title: 'Identities are aligned (latest report)',
  async run({ db }) {
    const run = await reportStore.latestCompleted(db, IDENTITY_REPORT);
    if (!run) return warn('no identity-alignment report has been run', 'Run the identity-alignment report (mamgate report identity, or the admin page).');
    const summary = run.summary;
    const notAligned = Object.entries(summary).filter(([status, n]) => status !== 'aligned' && n > 0);
    const evidence = `report ${run.id} of ${new Date(run.created_at).toISOString()}: ${Object.entries(summary)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`;
    const blocking = notAligned.filter(([status]) => status !== 'missing_source');
    if (blocking.length > 0) {
      // The error these users really meet, as the report predicted it from the sign-in's own rules
      // (login/sign-in-rules.ts): an email-keyed office365 account meets user_mismatch, a SAML one account_not_found.
      const met = await errorsMet(db, run.id, blocking.map(([status]) => status));
      const step = "Open the report, filter the rows that are not aligned and follow each row's next step.";
      const errors = met.length > 0 ? `; errors met: ${met.map((m) => `${m.error_id} ${m.n}`).join(', ')}` : '';
      if (met.length === 0) return warn(`${evidence}${errors}`, step);
      return fail(`${evidence}${errors}`, met[0]!.error_id, step);
    }
    if (notAligned.length > 0) return warn(evidence, 'Some users miss a source; open the report for each row\'s next step.');
    return pass(evidence);
  },
};

export const enrollmentFailuresCheck: Check = {
  id: 'enrollment_failures',
  title: 'No enrollment failures in the last 24 hours',
  async run({ db, now }) {
    const rows = (await enrollmentStore.countsByCause(db, ['failed', 'declined'], new Date(now - DAY))) as { tenant_id: string | null; status: string; cause: FailureCause; n: number }[];
    if (rows.length === 0) return pass('no failed or declined enrollment in the last 24 hours');
    const evidence = rows.map((r) => `${Number(r.n)} ${r.status} (${r.cause}: ${FAILURE_CAUSES[r.cause]?.summary ?? r.cause}) in tenant ${r.tenant_id ?? '?'}`).join('; ');
    const failures = rows.filter((r) => r.status === 'failed');
    const steps = [...new Set(rows.map((r) => FAILURE_CAUSES[r.cause]?.next_step).filter(Boolean))].join(' ');
    if (failures.length > 0) return fail(evidence, 'ent.intune.enrollment.failed.app_error', steps);
    return warn(evidence, steps);
  },
};

export const androidClientsCheck: Check = {
  id: 'android_clients',
  title: 'No protected Android clients in the last 7 days (Intune MAM is not available on Android)',
  async run({ db, now }) {
    const seen = await androidAttempts(db, new Date(now - 7 * DAY));
    if (seen.total === 0) return pass('last 7 days: no protected sign-in or request from Android');
    const evidence = `last 7 days: ${seen.total} protected Android attempt(s): ${seen.refused} refused, ${seen.allowed_unprotected} let through unprotected, ${seen.held_for_evidence} held for evidence`;
    return warn(evidence, entryFor('mamgate.intune.android_not_supported.app_error').next_step, 'mamgate.intune.android_not_supported.app_error');
  },
};
