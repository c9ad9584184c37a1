// Development only, no Mattermost shape: the failure modes every /api/v4 call passes through: up answers; down answers 503; hang holds the
// call until the mode changes (or the server stops); slow delays each call by delayMs.
import { setTimeout as sleep } from 'node:timers/promises';

export type ChatMode = 'up' | 'down' | 'hang' | 'slow';

export class StoppedError extends Error {}

export class ModeGate {
  mode: ChatMode = 'up';
  delayMs = 0;
  private readonly held = new Set<{ release: () => void; fail: (error: Error) => void }>();
  private stopped = false;

  set(mode: ChatMode, delayMs?: number): void {
    this.mode = mode;
    if (delayMs !== undefined) this.delayMs = delayMs;
    if (mode !== 'hang') this.releaseHeld();
  }

  /** Resolves 'go' when the call may be answered, 'down' when it must get a 503; rejects once stopped. */
  async pass(): Promise<'go' | 'down'> {
    for (;;) {
      if (this.stopped) throw new StoppedError('dev-chat stopped');
      if (this.mode === 'down') return 'down';
      if (this.mode === 'up') return 'go';
      if (this.mode === 'slow') {
        await sleep(this.delayMs);
        if (this.stopped) throw new StoppedError('dev-chat stopped');
        return 'go';
      }
      await new Promise<void>((release, fail) => {
        const entry = { release: () => release(), fail };
        this.held.add(entry);
      });
    }
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.held) entry.fail(new StoppedError('dev-chat stopped'));
    this.held.clear();
  }

  private releaseHeld(): void {
    for (const entry of this.held) entry.release();
    this.held.clear();
  }
}
