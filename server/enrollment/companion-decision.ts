// The gate's rules for a chat-server session, in the order they are applied (DESIGN "Companion"): a token the
// chat server refuses is refused; a user who is not protected, a request that is not from the mobile app, or
// Intune not required passes (the chat server decides the rest); an Android app is decided by
// IntuneSettings.AndroidPolicy (android-decision.ts); otherwise the user's enrollment evidence decides, which needs
// the account's Entra objectId.
import type { ChatUser } from '../chatserver/chat-user.ts';
import { AppError } from '../errors/app-error.ts';
import { androidStep } from './android-decision.ts';
import type { MamPolicy } from './mam-policy.ts';
import type { MobileRequest } from './mobile-request.ts';

/** unprotected: an Android app let through without app protection (AndroidPolicy allow_unprotected). */
export type BeforeEvidence = { outcome: 'pass' } | { outcome: 'refuse'; refusal: AppError } | { outcome: 'evidence' } | { outcome: 'unprotected' };

const PASS: BeforeEvidence = { outcome: 'pass' };
const NEEDS_EVIDENCE: BeforeEvidence = { outcome: 'evidence' };

export function beforeEvidence(user: ChatUser | null, policy: MamPolicy, request: MobileRequest): BeforeEvidence {
  if (!user) return { outcome: 'refuse', refusal: new AppError('api.context.session_expired.app_error') };
  if (!policy.enforcing) return PASS;
  if (user.authService !== policy.authService) return PASS;
  if (!request.isMobileApp) return PASS;
  const android = androidStep(policy.android, request.platform);
  if (android.outcome !== 'evidence') return android;
  return NEEDS_EVIDENCE;
}
