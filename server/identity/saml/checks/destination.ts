// Response/@Destination must be the configured ACS URL (SAML bindings §3.5.5.2): a response the IdP addressed to
// another endpoint, or to none, is not accepted here. node-saml 5.1 never reads Destination (node-saml#437).
import { AppError } from '../../../errors/app-error.ts';
import type { ResponseEnvelope } from '../response-envelope.ts';
import { sameUrl } from './same-url.ts';

export function checkDestination(envelope: ResponseEnvelope, acsUrl: string): void {
  if (envelope.destination !== null && sameUrl(envelope.destination, acsUrl)) return;
  const named = envelope.destination === null ? 'no Destination' : `"${envelope.destination.slice(0, 200)}"`;
  throw new AppError('mamgate.saml.wrong_destination.app_error', {
    params: { Destination: named, AcsUrl: acsUrl },
    detailed: `destination: Response/@Destination is ${named}, not SamlSettings.AssertionConsumerServiceURL ${acsUrl}`,
  });
}
