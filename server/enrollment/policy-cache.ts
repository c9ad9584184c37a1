// The node's current MAM policy, recomputed when the change feed reports a settings or license change.
import type { Database } from '../db/connect.ts';
import { currentLicense } from '../license/service.ts';
import { currentSettings } from '../settings/service.ts';
import { type MamPolicy, mamPolicy } from './mam-policy.ts';

export class PolicyCache {
  private policy: MamPolicy | undefined;
  private loading: Promise<MamPolicy> | undefined;
  private generation = 0;

  constructor(private readonly db: Database) {}

  current(now: number): MamPolicy | undefined {
    return this.policy && now < this.policy.validUntil ? this.policy : undefined;
  }

  load(): Promise<MamPolicy> {
    if (!this.loading) {
      const generation = this.generation;
      this.loading = Promise.all([currentSettings(this.db), currentLicense(this.db)])
        .then(([{ settings }, { license }]) => {
          const policy = mamPolicy(settings, license, Date.now());
          // A change reported while this read was in flight may not be in it: keep it only if none came.
          if (generation === this.generation) this.policy = policy;
          return policy;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation++;
    this.policy = undefined;
  }
}
