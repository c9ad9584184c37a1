// Reading request bodies with the house's plain helpers (http/plain/). Answers are written with http/plain/send-json.ts:
// Client4 parses a body only when Content-Type is exactly "application/json", which is what Mattermost sends
// (web/handlers.go), so no charset is added.
import type { IncomingMessage } from 'node:http';
import { readCappedText } from '../http/plain/capped-body.ts';

const MAX_BODY_BYTES = 256 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return readCappedText(req, MAX_BODY_BYTES);
}

/** model.MapFromJSON: anything that is not a JSON object of strings reads as an empty map. */
export function stringMapFrom(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}
