// The one place an answer's JSON meets the wire. Content-Type is exactly `application/json`, as the chat server
// sends it: its JavaScript client (@mattermost/client's Client4) parses a body only for that exact string, so with
// `; charset=utf-8` (Express's res.json) config and license reach it as text and a refusal as a ClientError with no
// status and no id. JSON is UTF-8 by definition (RFC 8259 §8.1), so the charset says nothing.
// Errors: status from the catalogue, AppError JSON body, the error's own headers (Retry-After…). Express routes and
// the plain node:http hot paths (gate, sign-in) all answer through here.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Express, Response } from 'express';
import type { AppError } from '../errors/app-error.ts';

export const JSON_CONTENT_TYPE = 'application/json';

/**
 * A JSON answer on plain node:http, in one writeHead (headers set before, such as Token and the cookies, are kept);
 * `headers` then `more` (an error's own), as one object for the hot paths.
 */
export function writeJson(res: ServerResponse, status: number, body: string, headers?: OutgoingHttpHeaders, more?: OutgoingHttpHeaders): void {
  res.writeHead(status, { ...headers, ...more, 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function writeAppError(res: ServerResponse, requestId: string, error: AppError, headers?: OutgoingHttpHeaders): void {
  writeJson(res, error.status, JSON.stringify(error.toBody(requestId)), headers, error.headers);
}

export function sendAppError(res: Response, error: AppError): void {
  writeAppError(res, String(res.locals.requestId ?? ''), error);
}

/**
 * res.json (and res.send of an object) for every route of `app`, set once on the app's response prototype: no
 * closure per request. Express's own adds the charset (its res.send does for every string body); a Buffer body it
 * sends as it is, with the rest of res.send's rules (HEAD, 204/304, Content-Length).
 */
export function answerJsonAsTheChatServer(app: Express): void {
  app.response.json = function json(this: Response, value: unknown): Response {
    const text = JSON.stringify(value);
    if (!this.getHeader('Content-Type')) this.setHeader('Content-Type', JSON_CONTENT_TYPE);
    return this.send(text === undefined ? undefined : Buffer.from(text, 'utf8'));
  };
}
