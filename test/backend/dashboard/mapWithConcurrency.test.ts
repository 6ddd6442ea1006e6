import { mapWithConcurrency } from '../../../src/backend/dashboard/mapWithConcurrency';

/** A call that resolves when the test says so, to hold calls pending. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('mapWithConcurrency: the dashboard walks lead-time chains a few at a time', () => {
  it('keeps at most `limit` walks pending and returns the results in the deployments’ order', async () => {
    const pending = [0, 1, 2, 3, 4].map(() => deferred<string>());
    const started: number[] = [];
    const done = mapWithConcurrency([0, 1, 2, 3, 4], 3, (item) => {
      started.push(item);
      return pending[item]!.promise;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    pending[2]!.resolve('c');
    await new Promise((next) => setImmediate(next));
    expect(started).toEqual([0, 1, 2, 3]);
    pending.forEach((call, index) => call.resolve('abcde'[index]!));
    await expect(done).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('answers an empty list without calling, and passes a failed walk on to the request', async () => {
    const work = jest.fn(async () => 1);
    await expect(mapWithConcurrency([], 3, work)).resolves.toEqual([]);
    expect(work).not.toHaveBeenCalled();
    await expect(
      mapWithConcurrency([1, 2], 3, async (item) => {
        if (item === 2) throw new Error('pool closed');
        return item;
      }),
    ).rejects.toThrow('pool closed');
  });
});
