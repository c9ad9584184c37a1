// The MAM Tunnel validator: app-configuration values, a gateway server configuration and a site, checked offline
// against table (a) rows 1–9 and 11–13 of reference/tunnel-and-plugin.md. Pure: no I/O, the clock is a parameter.
import { z } from 'zod';
import type { Settings } from '../settings/model.ts';
import { zodToAppError } from '../util/zod-error.ts';
import { appConfigFindings, appConfigFromInput, appConfigFromSettings, type TunnelAppConfig } from './app-config.ts';
import { crossFindings } from './cross-checks.ts';
import { bySeverity, type Finding, type FindingSummary, summarize } from './finding.ts';
import { type Prerequisite, tunnelPrerequisites } from './prerequisites.ts';
import { type ServerConfiguration, serverConfigFindings } from './server-config.ts';
import { type Site, siteFindings } from './site.ts';

export type { Finding, FindingSummary, Severity } from './finding.ts';
export type { Prerequisite } from './prerequisites.ts';

/** What an admin sends (CLI file or API body): each part optional. */
export interface TunnelValidationRequest {
  /** {key: value} with com.microsoft.tunnel.* keys, or Graph customSettings [{name, value}]. */
  appConfig?: Record<string, unknown> | unknown[];
  /** microsoftTunnelConfiguration, as GET /deviceManagement/microsoftTunnelConfigurations/{id} answers it. */
  serverConfiguration?: Record<string, unknown>;
  /** microsoftTunnelSite; an expanded microsoftTunnelConfiguration inside it stands in for serverConfiguration. */
  site?: Record<string, unknown>;
}

const object = z.record(z.string(), z.unknown());
export const tunnelRequestShape = z.strictObject({
  appConfig: z.union([object, z.array(z.unknown()).max(1000)]).optional(),
  serverConfiguration: object.optional(),
  site: object.optional(),
});

/** Parses a request body or file; null, undefined and {} mean "the stored settings only". */
export function parseTunnelValidationRequest(input: unknown): TunnelValidationRequest {
  if (input === undefined || input === null) return {};
  const result = tunnelRequestShape.safeParse(input);
  if (!result.success) throw zodToAppError(result.error, 'mamgate.request.invalid_body_param.app_error');
  return result.data;
}

export interface TunnelValidationInput {
  appConfig?: TunnelAppConfig;
  serverConfiguration?: ServerConfiguration;
  site?: Site;
}

/** Every finding for the given parts, errors first. `now` dates certificate expiry. */
export function validateTunnel(input: TunnelValidationInput, options: { now?: number } = {}): Finding[] {
  const now = options.now ?? Date.now();
  const findings = [
    ...(input.appConfig ? appConfigFindings(input.appConfig, now) : []),
    ...(input.serverConfiguration ? serverConfigFindings(input.serverConfiguration) : []),
    ...(input.site ? siteFindings(input.site) : []),
    ...crossFindings(input.appConfig, input.serverConfiguration, input.site),
  ];
  return bySeverity(findings);
}

export interface TunnelReport {
  findings: Finding[];
  summary: FindingSummary;
  /** What was validated: where the app configuration came from, and whether gateway objects were given. */
  checked: { appConfig: TunnelAppConfig['source']; serverConfiguration: boolean; site: boolean };
  /**
   * What the tunnel needs that no value given here shows (Intune policy, Entra, licence): for the operator to
   * confirm, with where to look and what to do. Apart from the findings: they neither pass nor fail the run.
   */
  prerequisites: Prerequisite[];
}

function inputFor(settings: Settings, extra: TunnelValidationRequest): TunnelValidationInput {
  const appConfig = extra.appConfig ? appConfigFromInput(extra.appConfig) : appConfigFromSettings(settings);
  // The tunnel-enabled client id is mamgate's own setting, not an app-config key: always the stored one.
  appConfig.tunnelClientId = settings.IntuneSettings.TunnelClientId;
  const embedded = extra.site?.microsoftTunnelConfiguration;
  const serverConfiguration =
    extra.serverConfiguration ?? (embedded && typeof embedded === 'object' && !Array.isArray(embedded) ? (embedded as ServerConfiguration) : undefined);
  return { appConfig, serverConfiguration, site: extra.site };
}

/**
 * The findings for the stored settings, or for the app configuration in `extra` (which then stands in for the
 * stored TunnelSettings), cross-checked against a server configuration and site when given. For the preflight.
 */
export function tunnelFindings(settings: Settings, extra: TunnelValidationRequest = {}, options: { now?: number } = {}): Finding[] {
  return validateTunnel(inputFor(settings, extra), options);
}

/**
 * tunnelFindings with its summary and the prerequisites to confirm: the answer of the CLI and the admin API.
 * `authority` is MAMGATE_ENTRA_AUTHORITY, the host of the admin-consent link.
 */
export function tunnelReport(settings: Settings, extra: TunnelValidationRequest, options: { authority: string; now?: number }): TunnelReport {
  const input = inputFor(settings, extra);
  const findings = validateTunnel(input, options);
  const prerequisites = tunnelPrerequisites(input.appConfig!, {
    tenantId: settings.IntuneSettings.TenantId,
    tunnelClientId: settings.IntuneSettings.TunnelClientId,
    graphEnabled: settings.GraphSettings.Enable,
    authority: options.authority,
  });
  return {
    findings,
    summary: summarize(findings),
    checked: { appConfig: input.appConfig!.source, serverConfiguration: input.serverConfiguration !== undefined, site: input.site !== undefined },
    prerequisites,
  };
}
