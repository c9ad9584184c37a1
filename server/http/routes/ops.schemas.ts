// Answers of the operations routes (health, readiness).
import { z } from 'zod';

export const healthAnswer = z.object({ status: z.literal('ok') });

/** checkReadiness's answer; a dependency that is not ready is the catalogue's 503 instead. */
export const readinessAnswer = z.object({
  status: z.literal('ready'),
  database: z.literal('ok'),
  migrations: z.literal('current'),
  chat_server: z.literal('ok').optional().meta({ description: 'Companion mode: the chat server view is current.' }),
  graph: z.enum(['ok', 'unavailable']).optional().meta({ description: 'Graph evidence mode: whether the last sweep reached Graph.' }),
  graph_error_id: z.string().optional(),
});
