// The load generator process: runs one autocannon measurement described by a LoadSpec file and prints the result
// as one JSON line. The runner starts it pinned to its own core, apart from the server under test.
//   node --import tsx bench/lib/loadgen.ts SPEC.json
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load-spec.ts';

function requestsFor(spec: LoadSpec): autocannon.Request[] | undefined {
  const vary = spec.vary;
  if (!vary) return undefined;
  let next = 0;
  if (vary.kind === 'bearer-cycle') {
    const tokens = vary.tokens;
    return [
      {
        setupRequest: (request) => {
          request.headers = { ...spec.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` };
          return request;
        },
      },
    ];
  }
  // The generator's pid makes the ids new in every run too (warm-up, rounds, repeats), not only within one run:
  // a device id seen in an earlier run would make the sign-in end that earlier session (the same-device path).
  const prefix = `${vary.prefix}-${process.pid}`;
  return [
    {
      setupRequest: (request) => {
        request.body = JSON.stringify({ ...vary.body, device_id: `${prefix}-${next++}` });
        return request;
      },
    },
  ];
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
  const options: autocannon.Options = {
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    pipelining: 1,
    timeout: 10,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration }),
  };
  const requests = requestsFor(spec);
  if (requests) options.requests = requests;
  process.stdout.write('START\n');
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  // Without a callback autocannon answers its tracker (an EventEmitter) made thenable; the types only say Promise.
  const instance = autocannon(options) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
  // autocannon notices that a fixed number of requests is done only at its next 1 s tick, so its duration is
  // rounded up: for such runs the time is taken at the last response instead.
  let lastResponse = started;
  if (spec.amount) {
    instance.on('response', () => {
      lastResponse = process.hrtime.bigint();
    });
  }
  const result = await instance;
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const durationS = spec.amount ? Number(lastResponse - started) / 1e9 : result.duration;
  const cpu = process.cpuUsage(cpuBefore);
  const total = result.requests.total;
  const out: LoadResult = {
    rps: total / durationS,
    total,
    durationS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
    ),
    generatorCpuPct: ((cpu.user + cpu.system) / 1e6 / wallS) * 100,
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`loadgen: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
