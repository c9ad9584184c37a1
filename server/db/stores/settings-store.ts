import type { Database } from '../connect.ts';

export interface StoredVersion<T> {
  version: number;
  value: T;
  saved_by: string;
  saved_at: Date;
  request_id: string | null;
}

interface Row {
  version: number;
  saved_by: string;
  saved_at: Date;
  request_id: string | null;
  [column: string]: unknown;
}

/**
 * A versioned document kept as one row per save (settings, license). Readers take the newest row; history is
 * every row. A save inserts, so the previous version is never overwritten.
 */
export class VersionedDocumentStore<T> {
  constructor(
    private readonly table: 'settings_versions' | 'license_versions',
    private readonly column: 'settings' | 'license',
  ) {}

  private toVersion(row: Row): StoredVersion<T> {
    return {
      version: row.version,
      value: row[this.column] as T,
      saved_by: row.saved_by,
      saved_at: new Date(row.saved_at),
      request_id: row.request_id,
    };
  }

  async latest(db: Database): Promise<StoredVersion<T> | undefined> {
    const row = (await db(this.table).orderBy('version', 'desc').first()) as Row | undefined;
    return row ? this.toVersion(row) : undefined;
  }

  async history(db: Database, limit: number, beforeVersion?: number): Promise<StoredVersion<T>[]> {
    const query = db(this.table).orderBy('version', 'desc').limit(limit);
    if (beforeVersion !== undefined) query.where('version', '<', beforeVersion);
    return ((await query) as Row[]).map((row) => this.toVersion(row));
  }

  async at(db: Database, version: number): Promise<StoredVersion<T> | undefined> {
    const row = (await db(this.table).where({ version }).first()) as Row | undefined;
    return row ? this.toVersion(row) : undefined;
  }

  /** The version saved just before this one (undefined for the first). */
  async before(db: Database, version: number): Promise<StoredVersion<T> | undefined> {
    const row = (await db(this.table).where('version', '<', version).orderBy('version', 'desc').first()) as Row | undefined;
    return row ? this.toVersion(row) : undefined;
  }

  async insert(db: Database, value: T, savedBy: string, requestId: string | null): Promise<StoredVersion<T>> {
    const [row] = (await db(this.table)
      .insert({ [this.column]: JSON.stringify(value), saved_by: savedBy, request_id: requestId })
      .returning('*')) as Row[];
    return this.toVersion(row!);
  }

  /** Serialises concurrent saves of this document inside a transaction. */
  async lock(trx: Database): Promise<void> {
    await trx.raw('LOCK TABLE ?? IN SHARE ROW EXCLUSIVE MODE', [this.table]);
  }
}

export const settingsStore = new VersionedDocumentStore<unknown>('settings_versions', 'settings');
export const licenseStore = new VersionedDocumentStore<unknown>('license_versions', 'license');
