import { EventEmitter } from 'node:events';

export type ChangeKind = 'settings' | 'license';

export interface ChangeEvent {
  kind: ChangeKind;
  version: number;
}

/** Tells the parts of this node that settings or license changed (other nodes: see the gate issue's channel). */
export class ChangeBus {
  private readonly emitter = new EventEmitter();

  publish(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
