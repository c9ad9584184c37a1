// Whether a request comes from the chat server's own mobile app, from what that app sends on every request:
// `User-Agent: Mattermost Mobile/<version>+<build> (<os>; <os version>; <model>)` (mattermost-mobile,
// app/client/rest). The chat server keeps no per-request proof, so this is a signal, not a proof: a client that
// sends another User-Agent is treated as a browser (the README says so, and why Conditional Access is the
// control that holds against a modified client).
export type MobilePlatform = 'ios' | 'android' | 'other';

export interface MobileRequest {
  isMobileApp: boolean;
  platform: MobilePlatform;
}

const MOBILE_APP = /^Mattermost Mobile\/\S+\s*\(\s*([^;)]+)/i;
const NOT_MOBILE: MobileRequest = { isMobileApp: false, platform: 'other' };

export function mobileRequestOf(userAgent: string | undefined): MobileRequest {
  const match = userAgent ? MOBILE_APP.exec(userAgent) : null;
  if (!match) return NOT_MOBILE;
  const os = match[1]!.trim().toLowerCase();
  return { isMobileApp: true, platform: os === 'ios' || os === 'ipados' ? 'ios' : os === 'android' ? 'android' : 'other' };
}
