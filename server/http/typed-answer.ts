// A JSON answer typed by the zod schema the OpenAPI document describes it with: the value must be what the schema
// says (checked by the compiler), and the contract test checks the real answers against the document. No parse at
// run time: the schema is the answer's type, not a filter on the hot path.
import type { Response } from 'express';
import type { z } from 'zod';

export function sendAnswer<S extends z.ZodType>(res: Response, _schema: S, value: z.output<S>, status = 200): void {
  res.status(status).json(value);
}
