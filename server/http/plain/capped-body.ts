// Reading a request body with a size cap on plain node:http, for the house's small plain servers (the control
// socket, the development issuer, the development chat server). The sign-in's fast path has its own reader
// (plain-json-body.ts): it answers the catalogue's errors while draining, which these servers need not do.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the body exceeds ${limitBytes} bytes`);
  }
}

/** The body as UTF-8 text; rejects with BodyTooLargeError as soon as it passes `limitBytes`. */
export async function readCappedText(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
