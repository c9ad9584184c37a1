import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { OutcomeMetrics } from './outcome-metrics.ts';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  gateDecisions: Counter<'outcome'>;
  signInBatchSize: Histogram;
  signInRateLimited: Counter<'budget'>;
  /** Sign-ins, enrollment reports and key-set fetches by outcome. */
  outcomes: OutcomeMetrics;
}

/** One registry per service instance, so two instances in one test process do not collide. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mamgate_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'mamgate_http_requests_total',
      help: 'HTTP requests answered, by route pattern (never the raw path) and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'mamgate_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    gateDecisions: new Counter({
      name: 'mamgate_gate_decisions_total',
      help: 'Gate answers: allowed, or the catalogue id of the refusal',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    signInBatchSize: new Histogram({
      name: 'mamgate_sign_in_write_batch_size',
      help: 'Sign-ins written together in one statement (grows with concurrent sign-ins)',
      buckets: [1, 2, 4, 8, 16, 32],
      registers: [registry],
    }),
    signInRateLimited: new Counter({
      name: 'mamgate_sign_in_rate_limited_total',
      help: 'Sign-in attempts refused with 429 (not audited one by one), by budget: address, tenant or unverified',
      labelNames: ['budget'],
      registers: [registry],
    }),
    outcomes: new OutcomeMetrics(registry),
  };
}
