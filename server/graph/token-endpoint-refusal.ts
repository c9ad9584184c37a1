// What an Entra token endpoint error means for the operator. Entra answers
//   {"error":"invalid_client","error_description":"AADSTS7000215: …","error_codes":[7000215],"trace_id",…}
// and the AADSTS code, not the text, says what is wrong. The description is kept for the detail (with the trace
// and correlation ids support asks for), scrubbed of the secret in case an endpoint ever echoed it.
import { AppError } from '../errors/app-error.ts';
import type { ErrorId } from '../errors/catalogue.ts';

/** AADSTS codes with advice of their own; any other code gets the general refusal naming it. */
const ADVICE: Record<number, ErrorId> = {
  7000215: 'mamgate.graph.token.invalid_secret.app_error', // invalid client secret provided
  7000222: 'mamgate.graph.token.expired_secret.app_error', // the provided client secret keys are expired
  700016: 'mamgate.graph.token.app_not_found.app_error', // application not found in the directory
  90002: 'mamgate.graph.token.tenant_not_found.app_error', // tenant not found
  900023: 'mamgate.graph.token.tenant_not_found.app_error', // tenant identifier is neither a GUID nor a domain
};

export interface TokenRequestContext {
  tenantId: string;
  clientId: string;
  /** Scrubbed from anything that reaches the error. */
  secret: string;
}

function aadstsCode(body: Record<string, unknown>): number | undefined {
  const codes = body.error_codes;
  if (Array.isArray(codes) && typeof codes[0] === 'number') return codes[0];
  const described = typeof body.error_description === 'string' ? /AADSTS(\d+)/.exec(body.error_description) : null;
  return described ? Number(described[1]) : undefined;
}

export function scrub(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('[secret]');
}

/** An Entra error body (already parsed) as the catalogue error it belongs to. */
export function tokenEndpointRefusal(status: number, body: Record<string, unknown>, context: TokenRequestContext): AppError {
  const code = aadstsCode(body);
  const error = typeof body.error === 'string' ? body.error : 'unknown_error';
  const firstLine = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n/)[0] ?? '' : '';
  const ids = ['trace_id', 'correlation_id'].map((name) => (typeof body[name] === 'string' ? ` ${name} ${body[name]}` : '')).join('');
  const detailed = scrub(`token endpoint HTTP ${status} ${error}: ${firstLine}${ids}`, context.secret);
  const id = code !== undefined ? (ADVICE[code] ?? 'mamgate.graph.token.refused.app_error') : 'mamgate.graph.token.refused.app_error';
  return new AppError(id, {
    params: { ClientId: context.clientId, TenantId: context.tenantId, Code: code ?? 'unknown', Error: error },
    detailed,
  });
}
