// Classifies the error code a mobile client reports with an enrollment outcome, so preflight can count causes
// per tenant and tell the operator what to fix. Sources: reference/entra-saml-ldap.md §2 (AADSTS codes) and the
// Intune App SDK for iOS status codes (IntuneMAMEnrollmentStatus, 2xx failures).

import type { FailureCause } from '../contract/enrollment.ts';

export type { FailureCause };

export interface CauseInfo {
  summary: string;
  next_step: string;
}

export const FAILURE_CAUSES: Record<FailureCause, CauseInfo> = {
  missing_mam_permission: {
    summary: 'AADSTS650057: the mobile app registration lacks the Microsoft Mobile Application Management permission',
    next_step:
      'In Entra, add the Microsoft Mobile Application Management delegated permission (DeviceManagementManagedApps.ReadWrite) to the mobile app registration and grant admin consent.',
  },
  no_mam_service_principal: {
    summary: 'AADSTS650052: the tenant has no service principal for Microsoft Mobile Application Management',
    next_step:
      'Provision the Microsoft Mobile Application Management service principal (app id 0a5f63c0-b750-4f38-a71c-4fc0d58b89e2) in the tenant, then grant consent.',
  },
  conditional_access_app_protection: {
    summary: 'AADSTS53005: Conditional Access requires an app protection policy',
    next_step:
      'Target the user with an iOS App Protection Policy for the mobile app and make sure the broker (Authenticator or Company Portal) is installed.',
  },
  msal_cancelled: {
    summary: 'the user cancelled the Microsoft sign-in (MSAL)',
    next_step: 'Ask the user to retry and complete the Microsoft sign-in.',
  },
  intune_not_licensed: {
    summary: 'the user is not licensed for Intune, or the tenant is migrating',
    next_step: 'Assign an Intune license to the user.',
  },
  intune_not_targeted: {
    summary: 'the user is licensed for Intune but no app protection policy targets them',
    next_step: 'Assign the iOS App Protection Policy for the mobile app to a group that contains the user.',
  },
  intune_wrong_account: {
    summary: 'the device or app is managed under another account',
    next_step: 'Remove the other work account from the app or device, then enroll again with the same account.',
  },
  intune_auth_required: {
    summary: "the Intune SDK could not get the user's token",
    next_step: 'Ask the user to sign in again; check the broker app and the MSAL configuration of the mobile app.',
  },
  intune_network: {
    summary: 'the device could not reach the Intune service',
    next_step: 'Check that the device can reach the Intune endpoints (proxy, tunnel, network).',
  },
  intune_internal: {
    summary: 'the Intune SDK reported an internal error',
    next_step: 'Retry; if it persists, collect the Intune diagnostics log from the device.',
  },
  intune_device_blocked: {
    summary: 'the device blocked the enrollment',
    next_step: 'Check the device restrictions and the Conditional Launch settings of the app protection policy.',
  },
  none: { summary: 'no error', next_step: '' },
  unknown: {
    summary: 'an error code mamgate does not recognise',
    next_step: 'Read the error message the client reported; check identity alignment, Entra permissions and consent.',
  },
};

// Causes a retry by the same user on the same device can clear, with nothing for an operator to fix: the user
// cancelled the Microsoft sign-in (they may simply try again), the SDK could not get the user's token (a new
// sign-in gets one), the device could not reach Intune (networks come back), and the SDK's internal errors (its own
// advice is to retry). A report of `failed` with one of these causes is taken as declined: the enrollment prompt
// is shown again and nothing is removed. Every other cause is a real failure — a missing permission or consent,
// Conditional Access, licensing or targeting, another account, a blocked device, or a cause mamgate does not know —
// which retrying cannot fix, so the server is removed as the seed's rule says.
const RETRYABLE_CAUSES: ReadonlySet<FailureCause> = new Set(['msal_cancelled', 'intune_auth_required', 'intune_network', 'intune_internal']);

/** Can a retry clear a failure of this cause (see RETRYABLE_CAUSES)? */
export function isRetryable(cause: FailureCause): boolean {
  return RETRYABLE_CAUSES.has(cause);
}

const INTUNE_SDK_CODES: Record<number, FailureCause> = {
  200: 'intune_not_licensed',
  201: 'intune_internal',
  202: 'intune_internal',
  203: 'intune_auth_required',
  204: 'intune_network',
  205: 'intune_network',
  206: 'intune_internal',
  207: 'intune_auth_required',
  209: 'intune_wrong_account',
  210: 'intune_wrong_account',
  211: 'intune_wrong_account',
  212: 'intune_network',
  214: 'intune_wrong_account',
  216: 'intune_network',
  217: 'intune_auth_required',
  218: 'intune_wrong_account',
  219: 'msal_cancelled',
  222: 'intune_not_licensed',
  225: 'intune_not_targeted',
  226: 'intune_device_blocked',
  227: 'intune_wrong_account',
};

/** The cause of an enrollment outcome from the client's error code (and message, where codes hide in it). */
export function classifyFailure(errorCode: string | undefined, errorMessage: string | undefined): FailureCause {
  const text = `${errorCode ?? ''} ${errorMessage ?? ''}`;
  if (!text.trim()) return 'none';
  if (/AADSTS650057/i.test(text)) return 'missing_mam_permission';
  if (/AADSTS650052/i.test(text)) return 'no_mam_service_principal';
  if (/AADSTS53005|protection_policy_required/i.test(text)) return 'conditional_access_app_protection';
  // MSAL's user-cancel code on iOS is -50005; the string forms appear in the mobile client's errors.
  if (/(^|\D)-50005(\D|$)|user_cancel|msal_cancel|login_canceled/i.test(text)) return 'msal_cancelled';
  const code = Number((errorCode ?? '').trim());
  if (Number.isInteger(code) && INTUNE_SDK_CODES[code]) return INTUNE_SDK_CODES[code];
  return 'unknown';
}
