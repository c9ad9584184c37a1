// What the OpenAPI document says of one route: the zod schemas its handler parses the request with and types its
// answer by, plus what no schema holds (summary, credentials, statuses). operations.ts lists every route.
import type { z } from 'zod';

/** The credential schemes of document.ts's components.securitySchemes. */
export type SecurityScheme = 'adminToken' | 'chatServerSession' | 'sessionToken' | 'sessionCookie' | 'csrfToken' | 'requestedWith';

/** A JSON schema to reference by name under components.schemas. */
export type Named = readonly [name: string, schema: z.ZodType];

export interface Answer {
  description: string;
  /** A JSON body typed by this schema. */
  json?: Named;
  /** A body that is not JSON: its media types (the document gives it as a string). */
  media?: string | readonly string[];
  headers?: Record<string, string>;
}

export interface Operation {
  method: 'get' | 'post' | 'put';
  /** OpenAPI form: {id} for a path parameter. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Alternatives, each a set of schemes that go together; empty for a public route. */
  security: SecurityScheme[][];
  params?: z.ZodObject;
  query?: z.ZodObject;
  /**
   * A body parsed by this schema (JSON unless `form`: application/x-www-form-urlencoded), or a body of other media
   * types read as they are.
   */
  body?: { json: Named; required: boolean; form?: true } | { media: readonly string[]; description: string };
  /** The answers other than the catalogue's errors. */
  answers: Record<number, Answer>;
  /** Statuses of the catalogue errors this route answers (AppError body); every route may also answer 500/503. */
  errors: number[];
}
