import type { Database } from '../connect.ts';

import type { MamState } from '../../contract/enrollment.ts';

// The states are the state machine's (contract/enrollment.ts; its rules in enrollment/mam-state.ts); this store only keeps them.
export type { MamState };

export interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  device_id: string | null;
  voip_device_id: string | null;
  is_mobile: boolean;
  auth_service: string;
  tenant_id: string | null;
  object_id: string | null;
  mam_state: MamState;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export const sessionStore = {
  /**
   * Holds, until the transaction ends, the lock on one user's device: sign-ins of that user on that device that
   * raced take turns here (login/open-session.ts).
   */
  async lockDevice(trx: Database, device: { authService: string; objectId: string; deviceId: string | null }): Promise<void> {
    const key = `mamgate:session-device:${device.authService}:${device.objectId}:${device.deviceId}`;
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  },

  findByTokenHash(db: Database, tokenHash: string): Promise<SessionRow | undefined> {
    return db('sessions').where({ token_hash: tokenHash }).first();
  },
  /** Ends the user's live sessions (on one device when given); returns their ids. */
  async revokeForUser(db: Database, userId: string, deviceId: string | null, reason: string): Promise<string[]> {
    const query = db('sessions').where({ user_id: userId }).whereNull('revoked_at');
    if (deviceId !== null) query.where({ device_id: deviceId });
    const rows = await query.update({ revoked_at: db.fn.now(), revoked_reason: reason }).returning('id');
    return rows.map((r: { id: string }) => r.id);
  },
  /** Ends the session when it is still live; returns its id then, nothing otherwise. */
  async revokeLive(db: Database, id: string, reason: string): Promise<string[]> {
    const rows = (await db('sessions')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: db.fn.now(), revoked_reason: reason })
      .returning('id')) as { id: string }[];
    return rows.map((row) => row.id);
  },
  /** When and why the session was revoked (revoked_at null while it is live); undefined when there is no such session. */
  revocationOf(db: Database, id: string): Promise<Pick<SessionRow, 'revoked_at' | 'revoked_reason'> | undefined> {
    return db('sessions').where({ id }).first('revoked_at', 'revoked_reason');
  },
  findByTokenHashForUpdate(db: Database, tokenHash: string): Promise<SessionRow | undefined> {
    return db('sessions').where({ token_hash: tokenHash }).forUpdate().first();
  },
  /** The user's sessions for the admin pages, live ones first, then the newest; never the token hash. */
  listForUser(db: Database, userId: string, limit: number): Promise<Omit<SessionRow, 'token_hash'>[]> {
    return db('sessions')
      .select('id', 'user_id', 'device_id', 'voip_device_id', 'is_mobile', 'auth_service', 'tenant_id', 'object_id', 'mam_state', 'created_at', 'expires_at', 'revoked_at', 'revoked_reason')
      .where({ user_id: userId })
      .orderByRaw('revoked_at is null desc, created_at desc')
      .limit(limit);
  },
  async setState(db: Database, id: string, state: MamState): Promise<void> {
    await db('sessions').where({ id }).update({ mam_state: state });
  },
};
