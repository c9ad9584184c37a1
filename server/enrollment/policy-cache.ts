// The node's current settings, license and MAM policy, read again when the change feed reports a settings or
// license change. The gate and the sign-in read them here instead of querying on every request.
import type { Database } from '../db/connect.ts';
import type { License } from '../license/model.ts';
import { currentLicense } from '../license/service.ts';
import type { Settings } from '../settings/model.ts';
import { currentSettings } from '../settings/service.ts';
import { type MamPolicy, mamPolicy } from './mam-policy.ts';

export interface ConfigSnapshot {
  settings: Settings;
  license: License | null;
  policy: MamPolicy;
}

export class PolicyCache {
  private snapshot: ConfigSnapshot | undefined;
  private loading: Promise<ConfigSnapshot> | undefined;
  private generation = 0;

  constructor(private readonly db: Database) {}

  /** The cached snapshot while it is valid (a license expiring ends it), else undefined. */
  currentSnapshot(now: number): ConfigSnapshot | undefined {
    return this.snapshot && now < this.snapshot.policy.validUntil ? this.snapshot : undefined;
  }

  current(now: number): MamPolicy | undefined {
    return this.currentSnapshot(now)?.policy;
  }

  /** The snapshot from memory, or read now (one read shared by concurrent callers). */
  async get(now = Date.now()): Promise<ConfigSnapshot> {
    return this.currentSnapshot(now) ?? this.loadSnapshot();
  }

  async load(): Promise<MamPolicy> {
    return (await this.loadSnapshot()).policy;
  }

  private loadSnapshot(): Promise<ConfigSnapshot> {
    if (!this.loading) {
      const generation = this.generation;
      this.loading = Promise.all([currentSettings(this.db), currentLicense(this.db)])
        .then(([{ settings }, { license }]) => {
          const snapshot = { settings, license, policy: mamPolicy(settings, license, Date.now()) };
          // A change reported while this read was in flight may not be in it: keep it only if none came.
          if (generation === this.generation) this.snapshot = snapshot;
          return snapshot;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
  }
}
