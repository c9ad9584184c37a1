// POST …/admin/users/import: the answer (the body is a CSV or JSON Lines file, read as a stream).
import { z } from 'zod';

export const USER_IMPORT_TYPES = ['text/csv', 'application/x-ndjson', 'application/jsonl'] as const;

export const importAnswer = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  skipped: z.number().int().meta({ description: 'Lines of a bulk export that are not about accounts.' }),
  failed: z.array(z.object({ line: z.number().int(), problem: z.string() })),
});
