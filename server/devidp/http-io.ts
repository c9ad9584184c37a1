// The dev issuer's small HTTP toolkit on node:http (the house's plain helpers, http/plain/): JSON answers, bodies
// read with a cap (JSON or form-encoded), zod validation answering 400, and a problem type the router turns into
// {error, error_description}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { BodyTooLargeError, readCappedText } from '../http/plain/capped-body.ts';
import { sendJson } from '../http/plain/send-json.ts';

const MAX_BODY_BYTES = 64 * 1024;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, { 'cache-control': 'no-store', ...headers });
}

export async function readText(req: IncomingMessage): Promise<string> {
  try {
    return await readCappedText(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new HttpProblem(413, 'invalid_request', error.message);
    throw error;
  }
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readText(req)).trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'invalid_request', 'the body is not JSON');
  }
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HttpProblem(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}
