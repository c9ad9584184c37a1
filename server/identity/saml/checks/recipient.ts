// Every SubjectConfirmationData of the signed assertion must name the configured ACS URL as its Recipient (SAML
// profiles §4.1.4.3): an assertion Entra issued for another SP endpoint that trusts the same certificate cannot
// be replayed here. node-saml 5.1 does not check Recipient (node-saml#405).
import { AppError } from '../../../errors/app-error.ts';
import { sameUrl } from './same-url.ts';

function wrongRecipient(named: string, acsUrl: string): AppError {
  return new AppError('mamgate.saml.wrong_recipient.app_error', {
    params: { Recipient: named, AcsUrl: acsUrl },
    detailed: `recipient: SubjectConfirmationData/@Recipient is ${named}, not SamlSettings.AssertionConsumerServiceURL ${acsUrl}`,
  });
}

/** recipients: the Recipient of each SubjectConfirmationData of the signed assertion (undefined where absent). */
export function checkRecipient(recipients: (string | undefined)[], acsUrl: string): void {
  if (recipients.length === 0) throw wrongRecipient('missing (the assertion has no SubjectConfirmationData)', acsUrl);
  for (const value of recipients) {
    if (value === undefined || value === '') throw wrongRecipient('missing', acsUrl);
    if (!sameUrl(value, acsUrl)) throw wrongRecipient(`"${value.slice(0, 200)}"`, acsUrl);
  }
}
