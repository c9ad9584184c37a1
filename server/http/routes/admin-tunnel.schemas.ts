// POST …/admin/tunnel/validate: the answer (the body is tunnel/validate.ts's request shape).
import { z } from 'zod';

const severity = z.enum(['error', 'warning', 'info']);

export const tunnelReportAnswer = z.object({
  findings: z.array(
    z.object({ severity, rule: z.string(), field: z.string(), value: z.unknown(), message: z.string(), fix: z.string() }),
  ),
  summary: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  checked: z.object({ appConfig: z.enum(['stored settings', 'app configuration']), serverConfiguration: z.boolean(), site: z.boolean() }),
  prerequisites: z.array(
    z.object({
      rule: z.string(),
      requirement: z.string(),
      confirm: z.string(),
      next_step: z.string(),
      url: z.string().optional(),
      checked_by: z.string().optional(),
    }),
  ),
});
