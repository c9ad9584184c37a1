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
import type { TargetSummary } from './report.ts';

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
  /** The database its server uses, when not the shared deployment's (its backends count as PostgreSQL CPU). */
  database?: string;
  /** More server processes behind one address (nodes behind a proxy): their CPU and peak RSS add to the server's. */
  extraServerPids?: number[];
  /** Helper processes of the target (a proxy): their CPU is measured apart, not counted as other programs. */
  helperPids?: number[];
}

export interface Check {
  label: string;
  target: string;
  /** Ratio of req/s medians: target / vs ≥ min. */
  vs?: string;
  min?: number;
  /** Median p99 of the target ≤ this. */
  maxP99Ms?: number;
  /** CPU per request (server + PostgreSQL) of the target / of `vs` ≤ this (e.g. cost growth over a scale curve). */
  maxCostRatio?: number;
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
  /** Runs `cleanup` at the end of the bench (also on Ctrl-C), e.g. to stop a scenario's own deployment. */
  defer(cleanup: () => Promise<void>): void;
  /** Set on a --profile run: where mamgate processes write their CPU profiles. */
  profileDir?: string;
}

export interface Scenario {
  name: string;
  baselines: BaselineId[];
  targets(env: BenchEnv): Promise<Target[]>;
  checks: Check[];
  /** Lines for the report's notes, computed from the medians (e.g. a scale curve). */
  summary?(targets: TargetSummary[]): string[];
  /** Duration-based measurements (a job start to finish), run after the req/s targets. */
  durations?(env: BenchEnv): Promise<DurationSection>;
}
