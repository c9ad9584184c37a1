// Starts several test fixtures at once. When one fails to start, the ones that did start are stopped before the
// failure is passed on: with `[a, b] = await Promise.all(...)` a failure assigns neither, so the suite's `after` has
// nothing to stop, and a service left listening keeps the test file's process alive (a CI run once waited on one
// until its time limit).
interface Stoppable {
  close?(): Promise<void>;
  stop?(): Promise<void>;
}

export async function startTogether<T extends readonly Stoppable[]>(...starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((result) => result.status === 'rejected');
  if (!failure) return settled.map((result) => (result as PromiseFulfilledResult<Stoppable>).value) as unknown as T;
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  await Promise.allSettled(started.map((fixture) => (fixture.close ?? fixture.stop)?.call(fixture)));
  throw failure.reason;
}
