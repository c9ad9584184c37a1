// The node's current settings, license and MAM policy, read again when the change feed reports a settings or
// license change, or (companion mode) when the chat server's view changes. The gate and the sign-in read them
// here instead of querying on every request. A companion snapshot lasts no longer than the chat server's view
// it was built on is usable: after that it is rebuilt, and fails closed while the chat server cannot be read.
import type { ChatServerLink } from '../chatserver/link.ts';
import type { Database } from '../db/connect.ts';
import { AppError } from '../errors/app-error.ts';
import type { License } from '../license/model.ts';
import { currentLicense } from '../license/service.ts';
import type { Settings } from '../settings/model.ts';
import { companionSettings, type SettingSource } from '../settings/companion-settings.ts';
import { currentSettings } from '../settings/service.ts';
import { type MamPolicy, mamPolicy } from './mam-policy.ts';

export interface ConfigSnapshot {
  settings: Settings;
  license: License | null;
  policy: MamPolicy;
  /** Companion mode: where each setting came from; undefined when standalone. */
  sources?: Record<string, SettingSource>;
}

export class PolicyCache {
  private snapshot: ConfigSnapshot | undefined;
  private loading: Promise<ConfigSnapshot> | undefined;
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly link?: ChatServerLink,
  ) {}

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
        .then(([{ settings }, { license }]) => this.withChatServer(settings, license))
        .then((snapshot) => {
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

  private async withChatServer(stored: Settings, storedLicense: License | null): Promise<ConfigSnapshot> {
    await this.link?.configure(stored.ChatServerSettings);
    const mirror = this.link?.mirror;
    if (!mirror) return { settings: stored, license: storedLicense, policy: mamPolicy(stored, storedLicense, Date.now()) };
    const view = mirror.current();
    if (view instanceof AppError) throw view;
    const { settings, sources } = companionSettings(stored, view);
    const policy = mamPolicy(settings, view.license, Date.now());
    return { settings, license: view.license, sources, policy: { ...policy, validUntil: Math.min(policy.validUntil, mirror.usableUntil()) } };
  }

  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
  }
}
