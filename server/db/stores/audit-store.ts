import type { Database } from '../connect.ts';

export interface AuditEntry {
  request_id: string | null;
  actor: string;
  action: string;
  target?: string | null;
  outcome: 'success' | 'failure' | 'refused';
  details?: Record<string, unknown>;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'details'>> {
  id: number;
  at: Date;
  details: Record<string, unknown>;
}

export const auditStore = {
  async insert(db: Database, entry: AuditEntry): Promise<void> {
    await db('audit_log').insert({ ...entry, target: entry.target ?? null, details: JSON.stringify(entry.details ?? {}) });
  },
  async insertMany(db: Database, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db('audit_log').insert(entries.map((e) => ({ ...e, target: e.target ?? null, details: JSON.stringify(e.details ?? {}) })));
  },
  async page(db: Database, options: { limit: number; beforeId?: number; action?: string }): Promise<AuditRow[]> {
    const query = db('audit_log').orderBy('id', 'desc').limit(options.limit);
    if (options.beforeId !== undefined) query.where('id', '<', options.beforeId);
    if (options.action) query.where('action', options.action);
    return query;
  },
};
