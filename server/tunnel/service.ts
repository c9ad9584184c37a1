// The validator against what is stored: the admin API and the CLI operation both answer this.
import type { Database } from '../db/connect.ts';
import { currentSettings } from '../settings/service.ts';
import { parseTunnelValidationRequest, type TunnelReport, tunnelReport } from './validate.ts';

/**
 * Validates a request body or file (empty: the stored TunnelSettings) against the stored settings; `authority`
 * (MAMGATE_ENTRA_AUTHORITY) is the host of the admin-consent link among the prerequisites.
 */
export async function validateTunnelRequest(db: Database, authority: string, body: unknown): Promise<TunnelReport> {
  const request = parseTunnelValidationRequest(body);
  const { settings } = await currentSettings(db);
  return tunnelReport(settings, request, { authority });
}
