// The OpenAPI 3.1 document of the HTTP API, generated from the operations table (operations.ts) with zod's own
// JSON Schema generator (z.toJSONSchema, draft 2020-12: OpenAPI 3.1's schema dialect). Requests are described as
// the schemas accept them (io: input), answers as the routes produce them (io: output: objects closed with
// additionalProperties false, so an answer with a field the schema lacks fails the contract test). Built once.
import { z } from 'zod';
import { MAMGATE_VERSION } from '../../version.ts';
import { appErrorBodySchema } from '../answer-schemas.ts';
import type { Answer, Operation, SecurityScheme } from './operation.ts';
import { ERROR_SCHEMA_NAME, OPERATIONS } from './operations.ts';

type JsonSchema = Record<string, unknown>;

const REF = (name: string) => `#/components/schemas/${name}`;

const SECURITY_SCHEMES: Record<SecurityScheme, JsonSchema> = {
  adminToken: { type: 'http', scheme: 'bearer', description: 'An admin token (mga_…) from `mamgate admin token create`.' },
  chatServerSession: {
    type: 'http',
    scheme: 'bearer',
    description: "Companion mode: a system admin's chat-server session token (Authorization: Bearer or Token header).",
  },
  sessionToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'A session token: mamgate\'s own (mgs_…, from POST /oauth/intune) or, in companion mode, the chat server\'s. The Token header is read too.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'MMAUTHTOKEN',
    description: 'The session token as the chat server\'s cookie. A write carried by it needs a CSRF proof (X-CSRF-Token, X-Requested-With; admin writes both).',
  },
  csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Equal to the MMCSRF cookie.' },
  requestedWith: { type: 'apiKey', in: 'header', name: 'X-Requested-With', description: 'XMLHttpRequest.' },
};

// Zod cannot describe these in JSON Schema; a Date is the one the answers carry (see storedTime).
const UNREPRESENTABLE = new Set(['bigint', 'symbol', 'undefined', 'void', 'map', 'set', 'function', 'custom', 'nan', 'promise']);

/** A Date is answered the way JSON.stringify writes it, an ISO 8601 string; anything else zod cannot describe fails. */
function override(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const type = ctx.zodSchema._zod.def.type;
  if (type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
  else if (UNREPRESENTABLE.has(type)) throw new Error(`the OpenAPI document cannot describe a zod ${type}`);
}

function componentSchemas(named: Map<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: REF, override, unrepresentable: 'any' });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

/** The document's own jsonSchemaDialect holds for every schema; a component is named by its place, not an $id. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

function inline(schema: z.ZodType): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', override, unrepresentable: 'any' }) as JsonSchema);
}

function parameters(operation: Operation): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [place, shape] of [['path', operation.params], ['query', operation.query]] as const) {
    if (!shape) continue;
    const object = inline(shape);
    const required = new Set((object.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(object.properties as Record<string, JsonSchema>)) {
      const { description, ...rest } = schema;
      list.push({ name, in: place, required: place === 'path' || required.has(name), description, schema: rest });
    }
  }
  return list;
}

function answer(value: Answer): JsonSchema {
  const content: Record<string, JsonSchema> = {};
  if (value.json) content['application/json'] = { schema: { $ref: REF(value.json[0]) } };
  for (const media of [value.media ?? []].flat()) content[media] = { schema: { type: 'string' } };
  const headers = value.headers
    ? Object.fromEntries(Object.entries(value.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]))
    : undefined;
  return { description: value.description, ...(headers ? { headers } : {}), ...(Object.keys(content).length ? { content } : {}) };
}

const ERROR_ANSWER = { description: 'A catalogue error', content: { 'application/json': { schema: { $ref: REF(ERROR_SCHEMA_NAME) } } } };

function operationObject(operation: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, value] of Object.entries(operation.answers)) responses[status] = answer(value);
  for (const status of operation.errors) responses[String(status)] ??= ERROR_ANSWER;
  responses.default = { ...ERROR_ANSWER, description: 'Any other catalogue error (500 internal, 503 a dependency away)' };
  const body = operation.body;
  const requestBody = !body
    ? undefined
    : 'json' in body
      ? {
          required: body.required,
          content: {
            [body.form ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: { $ref: REF(body.json[0]) } },
          },
        }
      : { required: true, description: body.description, content: Object.fromEntries(body.media.map((m) => [m, { schema: { type: 'string' } }])) };
  const params = parameters(operation);
  return {
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    operationId: `${operation.method}${operation.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: operation.security.length ? operation.security.map((set) => Object.fromEntries(set.map((s) => [s, []]))) : [],
    ...(params.length ? { parameters: params } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

function build(): JsonSchema {
  const outputs = new Map<string, z.ZodType>([[ERROR_SCHEMA_NAME, appErrorBodySchema]]);
  const inputs = new Map<string, z.ZodType>();
  for (const operation of OPERATIONS) {
    for (const value of Object.values(operation.answers)) {
      if (value.json) remember(outputs, value.json[0], value.json[1]);
    }
    if (operation.body && 'json' in operation.body) remember(inputs, operation.body.json[0], operation.body.json[1]);
  }
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of OPERATIONS) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = operationObject(operation);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'mamgate',
      version: MAMGATE_VERSION,
      description: 'Microsoft Intune App Protection (MAM) enforcement for chat-server mobile sign-ins. Generated from the zod schemas the routes validate and answer with.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { schemas: { ...componentSchemas(inputs, 'input'), ...componentSchemas(outputs, 'output') }, securitySchemes: SECURITY_SCHEMES },
  };
}

/** One name, one schema: two schemas under one name would make one of them describe the other's route. */
function remember(named: Map<string, z.ZodType>, name: string, schema: z.ZodType): void {
  const known = named.get(name);
  if (known && known !== schema) throw new Error(`two schemas are named ${name} in the OpenAPI operations`);
  named.set(name, schema);
}

let built: string | undefined;

/** The document as the JSON text the route answers (built on first use). */
export function openApiDocument(): string {
  built ??= JSON.stringify(build());
  return built;
}
