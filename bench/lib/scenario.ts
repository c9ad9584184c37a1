// The shape every scenario shares, so new ones (scale curve, two nodes, identity report…) slot into the runner:
// a scenario names the baselines it compares against, builds its targets on the shared environment, and states
// the checks (ratios and latency bounds) the report evaluates on the medians.
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import type { DurationSection } from './durations.ts';
import type { LoadSpec } from './load-spec.ts';
import type { Pinning } from './machine.ts';
import type { MamgateDeployment } from './mamgate.ts';
import type { BenchOptions } from './options.ts';
import type { ServerProcess } from './processes.ts';

export type BaselineId = 'bare' | 'express' | 'peer';

export interface Probe {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status every measured request must get. */
  status: number;
}

export interface Target {
  id: string;
  label: string;
  scenario: string;
  server: ServerProcess;
  /** Run (and discarded) before the first measured round. */
  warmups: LoadSpec[];
  /** The measured load of round `round` (0-based): most targets return the same spec each round. */
  load(round: number): LoadSpec;
  probe: Probe;
  /** false when a run cannot be repeated alike (it changes the server's state, e.g. a cold cache). */
  repeatable?: boolean;
}

export interface Check {
  label: string;
  target: string;
  /** Ratio of req/s medians: target / vs ≥ min. */
  vs?: string;
  min?: number;
  /** Median p99 of the target ≤ this. */
  maxP99Ms?: number;
}

export interface BenchEnv {
  options: BenchOptions;
  pin: Pinning;
  idp: DevIdp;
  tenantId: string;
  clientId: string;
  /** The RS256 access token every side gets (peer verification and mamgate sign-in). */
  accessToken: string;
  /** The account the access token belongs to (exists before the run). */
  signInObjectId: string;
  baseline(id: BaselineId): Promise<{ server: ServerProcess; target: Target }>;
  /** The seeded database (made on first use); start a node per scenario with `.node(name)`. */
  mamgate(): Promise<MamgateDeployment>;
  log(line: string): void;
  /** Set on a --profile run: where mamgate processes write their CPU profiles. */
  profileDir?: string;
}

export interface Scenario {
  name: string;
  baselines: BaselineId[];
  targets(env: BenchEnv): Promise<Target[]>;
  checks: Check[];
  /** Duration-based measurements (a job start to finish), run after the req/s targets. */
  durations?(env: BenchEnv): Promise<DurationSection>;
}
