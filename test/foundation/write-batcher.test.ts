// The sign-in's group commit: batches form only while earlier ones are in flight, items of one key take turns,
// and a conflicting batch is retried item by item.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WriteBatcher } from '../../server/db/write-batcher.ts';

interface Item {
  key: string;
  value: number;
}

function deferred() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

describe('WriteBatcher', () => {
  test('a lone item is written at once; items submitted meanwhile go together in the next batch', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const batcher = new WriteBatcher<Item, number>(
      async (items) => {
        batches.push(items.map((i) => i.value));
        if (batches.length === 1) await gate.done;
        return items.map((i) => i.value * 10);
      },
      async () => assert.fail('no item is retried alone'),
      { maxBatch: 3, maxInFlight: 1, keyOf: (i) => i.key, retryAlone: () => false },
    );
    const first = batcher.submit({ key: 'a', value: 1 });
    const rest = [2, 3, 4, 5].map((value) => batcher.submit({ key: `k${value}`, value }));
    assert.deepEqual(batches, [[1]], 'the first item did not wait for company');
    gate.release();
    assert.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40, 50], 'each caller gets its own result');
    assert.deepEqual(batches, [[1], [2, 3, 4], [5]], 'at most maxBatch per batch, in submission order');
  });

  test('items with one key are never in one batch nor in flight together', async () => {
    let inFlight = new Set<string>();
    const seen: string[][] = [];
    const batcher = new WriteBatcher<Item, number>(
      async (items) => {
        const keys = items.map((i) => i.key);
        assert.equal(new Set(keys).size, keys.length, 'no key twice in a batch');
        for (const key of keys) assert.ok(!inFlight.has(key), `key ${key} already in flight`);
        inFlight = new Set([...inFlight, ...keys]);
        seen.push(keys);
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (const key of keys) inFlight.delete(key);
        return items.map((i) => i.value);
      },
      async () => assert.fail('no item is retried alone'),
      { maxBatch: 8, maxInFlight: 3, keyOf: (i) => i.key, retryAlone: () => false },
    );
    const items = Array.from({ length: 30 }, (_, value) => ({ key: value % 3 === 0 ? 'same-device' : `d${value}`, value }));
    assert.deepEqual(await Promise.all(items.map((item) => batcher.submit(item))), items.map((i) => i.value));
    assert.equal(seen.flat().filter((key) => key === 'same-device').length, 10);
  });

  test('a batch refused with a retryable error is written item by item; any other error fails the whole batch', async () => {
    const conflict = Object.assign(new Error('conflict'), { retryable: true });
    const alone: number[] = [];
    const blocker = deferred();
    const batcher = new WriteBatcher<Item, number>(
      async (items) => {
        if (items.some((i) => i.value >= 98)) throw new Error('database down');
        if (items.length > 1) throw conflict;
        if (items[0]!.key === 'blocker') await blocker.done;
        return [items[0]!.value];
      },
      async (item) => {
        alone.push(item.value);
        if (item.value === 3) throw new Error('still conflicting');
        return -item.value;
      },
      { maxBatch: 10, maxInFlight: 1, keyOf: (i) => i.key, retryAlone: (error) => error === conflict },
    );
    const head = batcher.submit({ key: 'h', value: 0 });
    const retried = [1, 2, 3].map((value) => batcher.submit({ key: `r${value}`, value }));
    assert.equal(await head, 0);
    const settled = await Promise.allSettled(retried);
    assert.deepEqual(alone, [1, 2, 3]);
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      [-1, -2, 'still conflicting'],
      'each item gets its own outcome',
    );

    await new Promise((resolve) => setImmediate(resolve));
    const held = batcher.submit({ key: 'blocker', value: 7 });
    const failing = [98, 99].map((value) => batcher.submit({ key: `f${value}`, value }));
    blocker.release();
    assert.equal(await held, 7);
    const failed = await Promise.allSettled(failing);
    assert.deepEqual(
      failed.map((s) => s.status === 'rejected' && (s.reason as Error).message),
      ['database down', 'database down'],
    );
    assert.deepEqual(alone, [1, 2, 3], 'nothing is retried alone after a non-retryable error');
  });
});
