import type { Database } from '../db/connect.ts';
import { type SessionRow, sessionStore } from '../db/stores/session-store.ts';
import { isDeviceConflict, isWritten, type NoAccountSignedIn, type SignInOutcome, type SignInRecord, signInStore } from '../db/stores/sign-in-store.ts';
import type { UserRow } from '../db/stores/user-store.ts';
import { WriteBatcher } from '../db/write-batcher.ts';
import { SIGN_IN_STATE } from '../enrollment/mam-state.ts';
import { AppError } from '../errors/app-error.ts';
import { hashToken, newId, newSecretToken } from '../util/secret-token.ts';
import { SESSION_TOKEN_PREFIX } from '../sessions/session-token.ts';

/** Sign-ins racing on one device retry under the device lock; they take turns there, so a few tries suffice. */
const LOCKED_ATTEMPTS = 8;
/** Sign-ins written together under load (see WriteBatcher); a few batches in flight keep the database busy. */
const MAX_BATCH = 32;
const MAX_BATCHES_IN_FLIGHT = 3;

export interface OpenMobileSessionRequest {
  /** The account is the one whose auth data is this objectId under this provider. */
  authService: string;
  objectId: string;
  /** The token's email, for the account rules when no account may sign in. */
  email: string | undefined;
  tenantId: string;
  deviceId?: string;
  voipDeviceId?: string;
  lifetimeMs: number;
  /** The sign-in's audit entry; the user, the session id, its state and the replaced sessions are added to it. */
  audit: SignInRecord['audit'];
}

export interface OpenedSession {
  user: UserRow;
  session: SessionRow;
  /** The bearer secret, handed to the client once; only its hash is stored. */
  token: string;
  /** Sessions this one replaced on the same device. */
  replaced: string[];
}

export function isOpened(outcome: OpenedSession | NoAccountSignedIn): outcome is OpenedSession {
  return 'token' in outcome;
}

/**
 * Opens mobile sessions for accounts that may sign in, and writes what a sign-in records with each (the oauth
 * identity, the audit entry). One per node: concurrent sign-ins are written in batches.
 *
 * A session on a device ends the user's older sessions on that device (Mattermost's rule), so exactly one stays
 * live; the session starts enrolled when this user's app already enrolled on this device (through another server
 * or session), else pending.
 */
export class MobileSessionOpener {
  private readonly batcher: WriteBatcher<SignInRecord, SignInOutcome>;

  constructor(
    private readonly db: Database,
    onBatch?: (size: number) => void,
  ) {
    this.batcher = new WriteBatcher((records) => signInStore.writeMany(db, records, SIGN_IN_STATE), (record) => this.writeTakingTurns(record), {
      maxBatch: MAX_BATCH,
      maxInFlight: MAX_BATCHES_IN_FLIGHT,
      keyOf: (record) => `${record.account.auth_service}:${record.account.object_id}:${record.session.device_id ?? record.session.id}`,
      retryAlone: isDeviceConflict,
      onBatch,
    });
  }

  /**
   * Answers, having written nothing, the accounts the caller's account rules decide from when no account may sign
   * in with this objectId (none, two, a bot, or deactivated).
   */
  async open(request: OpenMobileSessionRequest, now: number): Promise<OpenedSession | NoAccountSignedIn> {
    const token = newSecretToken(SESSION_TOKEN_PREFIX);
    const written = await this.batcher.submit({
      account: { auth_service: request.authService, object_id: request.objectId, email: request.email ?? null },
      session: {
        id: newId(),
        token_hash: hashToken(token),
        device_id: request.deviceId ?? null,
        voip_device_id: request.voipDeviceId ?? null,
        tenant_id: request.tenantId,
        expires_at: new Date(now + request.lifetimeMs),
      },
      audit: request.audit,
    });
    return isWritten(written) ? { ...written, token } : written;
  }

  /**
   * Another sign-in of this user on this device committed first: take turns under the device's lock, where each
   * attempt's statement sees the previous holder's session and ends it.
   */
  private async writeTakingTurns(record: SignInRecord): Promise<SignInOutcome> {
    const device = { authService: record.account.auth_service, objectId: record.account.object_id, deviceId: record.session.device_id };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (trx) => {
          await sessionStore.lockDevice(trx, device);
          const [written] = await signInStore.writeMany(trx, [record], SIGN_IN_STATE);
          return written!;
        });
      } catch (error) {
        if (!isDeviceConflict(error)) throw error;
        if (attempt >= LOCKED_ATTEMPTS) {
          throw new AppError('mamgate.login.device_busy.app_error', { detailed: `${attempt} attempts under the device lock` });
        }
      }
    }
  }
}
