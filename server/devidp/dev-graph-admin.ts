// The /admin endpoints of the development Graph and its token endpoint (no authentication: loopback only, like
// the other /admin endpoints of the dev issuer). Bodies are validated; an unusable one answers 400.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { type AppRegistry, registeredAppSchema } from './client-credentials.ts';
import { type DevGraph, faultSchema, registrationSchema } from './dev-graph.ts';
import { parseWith, readJson, send } from './http-io.ts';

const registrationsSchema = z.strictObject({ userId: z.string().min(1), registrations: z.array(registrationSchema) });
const entities = <T extends z.ZodType>(item: T) => z.strictObject({ value: z.array(item) });
const anyEntity = z.looseObject({ id: z.string().optional() });
const principalSchema = z.looseObject({ id: z.string().optional(), appId: z.string().min(1) });
const grantSchema = z.looseObject({ id: z.string().optional(), clientId: z.string().min(1) });
const pageSizeSchema = z.strictObject({ pageSize: z.number().int().min(1).max(1000) });

/** Handles /admin/apps and /admin/graph/*; false when the path is none of them. */
export async function handleGraphAdmin(method: string, tail: string, req: IncomingMessage, res: ServerResponse, graph: DevGraph, apps: AppRegistry): Promise<boolean> {
  const body = method === 'PUT' || method === 'POST' ? await readJson(req) : undefined;
  const route = `${method} ${tail}`;
  switch (route) {
    case 'PUT apps':
      send(res, 200, apps.set(parseWith(registeredAppSchema, body)));
      return true;
    case 'PUT graph/registrations': {
      const { userId, registrations } = parseWith(registrationsSchema, body);
      send(res, 200, { userId, value: graph.setRegistrations(userId, registrations) });
      return true;
    }
    case 'PUT graph/conditional-access-policies':
      graph.setConditionalAccessPolicies(parseWith(entities(anyEntity), body).value);
      break;
    case 'PUT graph/service-principals':
      graph.setServicePrincipals(parseWith(entities(principalSchema), body).value);
      break;
    case 'PUT graph/oauth2-permission-grants':
      graph.setPermissionGrants(parseWith(entities(grantSchema), body).value);
      break;
    case 'PUT graph/page-size':
      graph.setPageSize(parseWith(pageSizeSchema, body).pageSize);
      break;
    case 'POST graph/fault':
      graph.setFault(parseWith(faultSchema, body));
      break;
    case 'POST graph/revoke-tokens':
      graph.revokeIssuedTokens();
      break;
    case 'POST graph/reset':
      graph.reset();
      apps.clear();
      break;
    case 'GET graph/stats':
      break;
    default:
      return false;
  }
  send(res, 200, graph.stats());
  return true;
}
