// Which platform a mobile client runs on, from what it sends: the push device id of its session
// (`<platform>:<token>`, Mattermost's PushNotify platforms: `apple_rn`, `apple_rnbeta`, `android_rn`,
// `android_rnbeta`, and the older `apple`/`android`) and its User-Agent (mobile-request.ts). Both are the client's
// word, so this decides what an Android client is told, never what an iOS client is let through with.
import { type MobilePlatform, mobileRequestOf } from './mobile-request.ts';

const PUSH_PLATFORM = /^(apple|android)(?:_rn\w*)?:/i;

/** The platform a push device id names, or 'other' (no id, or one from another push service). */
export function platformOfDeviceId(deviceId: string | null | undefined): MobilePlatform {
  const match = deviceId ? PUSH_PLATFORM.exec(deviceId) : null;
  if (!match) return 'other';
  return match[1]!.toLowerCase() === 'android' ? 'android' : 'ios';
}

/** Android when either signal says Android: an Android client must not be held forever because one was absent. */
export function clientPlatform(client: { deviceId?: string | null; userAgent?: string }): MobilePlatform {
  const byDevice = platformOfDeviceId(client.deviceId);
  const byAgent = mobileRequestOf(client.userAgent).platform;
  if (byDevice === 'android' || byAgent === 'android') return 'android';
  return byDevice !== 'other' ? byDevice : byAgent;
}
