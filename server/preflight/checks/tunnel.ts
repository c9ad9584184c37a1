import { tunnelConfigured } from '../../settings/model.ts';
import { tunnelFindings } from '../../tunnel/validate.ts';
import { type Check, pass, warn } from '../check.ts';

export const tunnelCheck: Check = {
  id: 'tunnel',
  title: 'MAM Tunnel app configuration is valid',
  run({ settings, now }) {
    if (!tunnelConfigured(settings.TunnelSettings)) return pass('tunnel keys are not configured; nothing changes for clients');
    const findings = tunnelFindings(settings, {}, { now });
    const errors = findings.filter((f) => f.severity === 'error');
    const warnings = findings.filter((f) => f.severity === 'warning');
    const describe = (list: typeof findings) => list.map((f) => `${f.rule} (${f.field}): ${f.message}`).join(' | ');
    if (errors.length > 0) {
      return {
        state: 'fail',
        evidence: describe(errors),
        next_step: errors.map((f) => f.fix).join(' '),
      };
    }
    if (warnings.length > 0) return warn(describe(warnings), warnings.map((f) => f.fix).join(' '));
    return pass(`site ${settings.TunnelSettings.SiteId} at ${settings.TunnelSettings.ServerAddress}: ${findings.length} note(s), no problem`);
  },
};
