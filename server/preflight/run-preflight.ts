// The preflight: every check of the seed's checklists that a server can make, in the order an operator fixes
// them (license and settings before the identity provider, identities before enrollments, Graph's answers last).
// As a companion it judges what the node decides on: the chat server's settings and license, behind a first check
// that they can be read.
import { AppError } from '../errors/app-error.ts';
import { currentLicense } from '../license/service.ts';
import type { ServiceContext } from '../context.ts';
import { companionSettings } from '../settings/companion-settings.ts';
import { currentSettings } from '../settings/service.ts';
import type { Check, CheckResult, CheckState, PreflightInput } from './check.ts';
import { androidClientsCheck, enrollmentFailuresCheck, identityAlignmentCheck, recentTokensCheck, samlObjectIdCheck } from './checks/activity.ts';
import {
  allowedClientsCheck,
  idAttributeCheck,
  intuneEnabledCheck,
  licenseCheck,
  providerCheck,
  scopeCheck,
  settingsValidCheck,
} from './checks/configuration.ts';
import { chatServerCheck } from './checks/chat-server.ts';
import { directoryCheck } from './checks/directory.ts';
import { GRAPH_CHECKS } from './checks/graph.ts';
import { signingKeysCheck } from './checks/signing-keys.ts';
import { tunnelCheck } from './checks/tunnel.ts';
import { TUNNEL_PREREQUISITE_CHECKS } from './checks/tunnel-prerequisites.ts';
import { PreflightGraph } from './preflight-graph.ts';

export const PREFLIGHT_CHECKS: Check[] = [
  licenseCheck,
  intuneEnabledCheck,
  settingsValidCheck,
  providerCheck,
  idAttributeCheck,
  scopeCheck,
  allowedClientsCheck,
  signingKeysCheck,
  recentTokensCheck,
  samlObjectIdCheck,
  directoryCheck,
  identityAlignmentCheck,
  enrollmentFailuresCheck,
  androidClientsCheck,
  tunnelCheck,
  ...TUNNEL_PREREQUISITE_CHECKS,
  ...GRAPH_CHECKS,
];

export interface PreflightReport {
  ran_at: string;
  summary: Record<CheckState, number>;
  checks: ({ id: string; title: string } & CheckResult)[];
}

export async function runPreflight(ctx: ServiceContext, options: { jwksTimeoutMs?: number } = {}): Promise<PreflightReport> {
  const now = Date.now();
  const [{ settings: stored }, { license: storedLicense }] = await Promise.all([currentSettings(ctx.db), currentLicense(ctx.db)]);
  const mirror = ctx.chatServer?.mirror;
  const url = ctx.chatServer?.connection?.url;
  const view = mirror ? mirror.current(now) : undefined;
  const base = { db: ctx.db, now, authority: ctx.entraAuthority, jwksTimeoutMs: options.jwksTimeoutMs ?? 5000 };
  if (mirror && url && view instanceof AppError) {
    // Nothing can be judged on settings this node does not have: the connection fails, the rest is not checked.
    const input: PreflightInput = { ...base, settings: stored, license: storedLicense, chatServer: { url, view } };
    return report(now, [
      { id: chatServerCheck.id, title: chatServerCheck.title, ...(await chatServerCheck.run(input)) },
      ...PREFLIGHT_CHECKS.map((check) => ({
        id: check.id,
        title: check.title,
        state: 'warn' as const,
        evidence: "not checked: the settings and license this node decides on come from the chat server, which cannot be read now",
        next_step: 'Fix the chat server connection (chat_server), then run the preflight again.',
      })),
    ]);
  }
  const readable = url && view && !(view instanceof AppError) ? view : undefined;
  const companion = readable ? { settings: companionSettings(stored, readable).settings, license: readable.license } : undefined;
  const settings = companion?.settings ?? stored;
  const graph = ctx.graph?.clientFor(settings);
  const input: PreflightInput = {
    ...base,
    settings,
    license: companion ? companion.license : storedLicense,
    chatServer: readable && url ? { url, view: readable } : undefined,
    graph: graph === undefined || graph instanceof AppError ? graph : new PreflightGraph(graph),
    graphStatus: ctx.graphRechecks?.status(now),
  };
  const checks = await Promise.all(
    (companion ? [chatServerCheck, ...PREFLIGHT_CHECKS] : PREFLIGHT_CHECKS).map(async (check) => {
      try {
        return { id: check.id, title: check.title, ...(await check.run(input)) };
      } catch (error) {
        // A check that cannot run is a failure to look at, never a pass.
        ctx.log.error({ err: error, check: check.id }, 'preflight check failed to run');
        return { id: check.id, title: check.title, state: 'fail' as const, evidence: `the check could not run: ${(error as Error).message}`, next_step: 'See the service log.' };
      }
    }),
  );
  return report(now, checks);
}

function report(now: number, checks: PreflightReport['checks']): PreflightReport {
  const summary: Record<CheckState, number> = { pass: 0, warn: 0, fail: 0 };
  for (const check of checks) summary[check.state]++;
  return { ran_at: new Date(now).toISOString(), summary, checks };
}
