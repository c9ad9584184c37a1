// What operators alert on for the directory sync, read from the latest runs when /metrics is scraped (shared by
// every node: the runs are in the database): how old the watermark is, what the last good sync was (full or
// incremental) and how many entries it read, and how long ago the last good full pass (the one that sees
// deletions) started.
import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/connect.ts';
import { syncRunStore } from '../db/stores/sync-run-store.ts';

export function registerLdapGauges(registry: Registry, db: Database): void {
  // One read per scrape, shared by the gauges below (each collect() is called in turn).
  let pending: ReturnType<typeof syncRunStore.latestGood> | undefined;
  const latest = () => {
    pending ??= syncRunStore.latestGood(db).finally(() => setTimeout(() => (pending = undefined), 1000).unref());
    return pending;
  };
  const age = (iso: string | null | undefined) => (iso ? Math.max(0, (Date.now() - Date.parse(iso)) / 1000) : -1);
  new Gauge({
    name: 'mamgate_ldap_watermark_age_seconds',
    help: 'Age of the LDAP sync watermark: since the read that left it started (-1: none yet)',
    registers: [registry],
    async collect() {
      this.set(age((await latest()).last?.watermark?.taken_at));
    },
  });
  new Gauge({
    name: 'mamgate_ldap_last_full_sync_age_seconds',
    help: 'Since the last good full LDAP sync started, the one that sees deleted entries (-1: none yet)',
    registers: [registry],
    async collect() {
      this.set(age((await latest()).lastFull?.started_at));
    },
  });
  new Gauge({
    name: 'mamgate_ldap_last_sync_kind',
    help: 'The last good LDAP sync: 1 for its kind (full or incremental), 0 for the other',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const kind = (await latest()).last?.kind;
      this.set({ kind: 'full' }, kind === 'full' ? 1 : 0);
      this.set({ kind: 'incremental' }, kind === 'incremental' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mamgate_ldap_last_sync_entries_read',
    help: 'Directory entries the last good LDAP sync read (all of them for a full one, the changed ones otherwise)',
    registers: [registry],
    async collect() {
      this.set((await latest()).last?.entries ?? 0);
    },
  });
}
