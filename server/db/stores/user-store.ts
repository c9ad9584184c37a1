import { normaliseGuid } from '../../util/guid.ts';
import type { Database } from '../connect.ts';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  auth_service: string;
  auth_data: string | null;
  first_name: string;
  last_name: string;
  is_bot: boolean;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type NewUser = Pick<UserRow, 'id' | 'username' | 'email' | 'auth_service' | 'auth_data' | 'first_name' | 'last_name'>;

/** An account as an import writes it: every column it carries, keyed by the chat server's id. */
export type ImportedUser = Omit<UserRow, 'created_at'>;

/** What an import rewrites of an account already known by its id. */
const IMPORTED_COLUMNS = ['username', 'email', 'auth_service', 'auth_data', 'first_name', 'last_name', 'is_bot', 'deleted_at', 'updated_at'];

export const userStore = {
  findByAuth(db: Database, authService: string, authData: string): Promise<UserRow | undefined> {
    return db('users').where({ auth_service: authService, auth_data: authData }).first();
  },
  /** The accounts of a service whose auth data is this objectId in any letter case (two: a duplicate to resolve). */
  findByObjectId(db: Database, authService: string, objectId: string): Promise<UserRow[]> {
    return db('users')
      .where({ auth_service: authService })
      .whereRaw("lower(auth_data) = ? and auth_data is not null and auth_data <> ''", [normaliseGuid(objectId)])
      .orderBy('id')
      .limit(2);
  },
  findByEmail(db: Database, email: string): Promise<UserRow | undefined> {
    return db('users').whereRaw('lower(email) = ?', [email.toLowerCase()]).first();
  },
  findById(db: Database, id: string): Promise<UserRow | undefined> {
    return db('users').where({ id }).first();
  },
  /** The account named by its id, username or email (letter case aside), as an admin types it. */
  findByRef(db: Database, ref: string): Promise<UserRow | undefined> {
    return db('users')
      .where({ id: ref })
      .orWhereRaw('username = lower(?)', [ref])
      .orWhereRaw('lower(email) = lower(?)', [ref])
      .orderByRaw('id = ? desc', [ref])
      .first();
  },
  /** The account whose id is `ref`, or whose username is `ref` in lower case (the case usernames are stored in). */
  findByIdOrUsername(db: Database, ref: string): Promise<UserRow | undefined> {
    return db('users').where({ id: ref }).orWhere({ username: ref.toLowerCase() }).first();
  },
  /** The id of each account of these usernames (those known; in no order). */
  idsOfUsernames(db: Database, usernames: string[]): Promise<{ id: string; username: string }[]> {
    return db('users').select('id', 'username').whereIn('username', usernames);
  },
  /** Usernames equal to base or base followed by digits, to choose a free one. */
  async usernamesLike(db: Database, base: string): Promise<string[]> {
    const rows = await db('users').select('username').whereRaw("username ~ ('^' || ? || '[0-9]*$')", [base.replace(/[.\\]/g, '\\$&')]);
    return rows.map((r: { username: string }) => r.username);
  },
  /** Stores the account unless one with its id, username or email is already known. */
  async insertIfAbsent(db: Database, user: NewUser): Promise<void> {
    await db('users').insert(user).onConflict().ignore();
  },
  /** Writes the accounts (one statement): new ids are inserted, known ones get the imported columns. */
  async upsertImported(db: Database, users: ImportedUser[]): Promise<void> {
    await db('users').insert(users).onConflict('id').merge(IMPORTED_COLUMNS);
  },
  /** Changes some of the account's fields (and its updated_at); answers the account as it now is. */
  async update(db: Database, id: string, changes: Partial<Pick<UserRow, 'email' | 'username' | 'first_name' | 'last_name' | 'auth_data'>>): Promise<UserRow> {
    const [row] = (await db('users')
      .where({ id })
      .update({ ...changes, updated_at: db.fn.now() })
      .returning('*')) as UserRow[];
    return row!;
  },
  async insert(db: Database, user: NewUser): Promise<UserRow> {
    const [row] = (await db('users').insert(user).returning('*')) as UserRow[];
    return row!;
  },
};

export const UNIQUE_VIOLATION = '23505';
