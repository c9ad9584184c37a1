// Starts several test fixtures at once. When one fails to start, the ones that did start are stopped before the
// failure is passed on: a `before` that throws runs no `after`, and a service left listening keeps the test file's
// process alive, so the whole run would wait for it (a CI run once hung that way until its time limit).
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
