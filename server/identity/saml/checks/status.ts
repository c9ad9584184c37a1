// The top-level StatusCode must be Success. node-saml reads the status only when the response holds no assertion,
// so a signed assertion under a Requester/Responder status would otherwise be accepted.
import { AppError } from '../../../errors/app-error.ts';
import { type ResponseEnvelope, SAML_STATUS_SUCCESS } from '../response-envelope.ts';

export function checkStatus(envelope: ResponseEnvelope): void {
  if (envelope.statusCode === SAML_STATUS_SUCCESS) return;
  const status = (envelope.statusCode ?? 'missing').slice(0, 120);
  throw new AppError('mamgate.saml.status_not_success.app_error', {
    params: { Status: status, Detail: envelope.statusDetail },
    detailed: `status: Response/Status/StatusCode is ${status}, not ${SAML_STATUS_SUCCESS}`,
  });
}
