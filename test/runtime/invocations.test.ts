import { planBatch } from '../../src/runtime/invocations';

// Worked by hand with maxAttempts = 3: a run is "alone" when its batch had one record, or when it was the
// third or later batch to start with the record (only the record ran).
describe('planBatch', () => {
  test('a first delivery, and a second after a failure, process the whole batch', () => {
    expect(planBatch([100], 3)).toEqual({ kind: 'all' });
    expect(planBatch([100, 50], 3)).toEqual({ kind: 'all' });
  });

  test('the third batch starting with the record runs it alone', () => {
    expect(planBatch([100, 50, 25], 3)).toEqual({ kind: 'first-alone' });
  });

  test('a batch of one is run as it is, until three runs of its own died', () => {
    expect(planBatch([1], 3)).toEqual({ kind: 'all' });
    expect(planBatch([1, 1], 3)).toEqual({ kind: 'all' });
    expect(planBatch([1, 1, 1], 3)).toEqual({ kind: 'all' });
    expect(planBatch([1, 1, 1, 1], 3)).toEqual({ kind: 'park-first', diedAlone: 3 });
  });

  test('bisected from 100 with the poison record first: runs 3, 4 and 5 are its own, the sixth parks it', () => {
    // 100 and 50 ran everything; 25, 13 and 7 ran it alone and died.
    expect(planBatch([100, 50, 25, 13, 7], 3)).toEqual({ kind: 'first-alone' });
    expect(planBatch([100, 50, 25, 13, 7, 4], 3)).toEqual({ kind: 'park-first', diedAlone: 3 });
  });

  test('a record that only shared batches with the poison record is never parked for it', () => {
    // The poison record is second: [r, x] died twice, then r ran alone (run 3) and got past; r never starts
    // a fourth batch. Had it started one (a redelivery), one run of its own is not three.
    expect(planBatch([2, 2, 2], 3)).toEqual({ kind: 'first-alone' });
    expect(planBatch([2, 2, 2, 2], 3)).toEqual({ kind: 'first-alone' });
  });

  test('maxAttempts 1: a batch of one that died once is parked; a larger batch runs whole once, then its first record alone', () => {
    expect(planBatch([1], 1)).toEqual({ kind: 'all' });
    expect(planBatch([1, 1], 1)).toEqual({ kind: 'park-first', diedAlone: 1 });
    expect(planBatch([10], 1)).toEqual({ kind: 'all' });
    expect(planBatch([10, 5], 1)).toEqual({ kind: 'first-alone' });
    expect(planBatch([10, 5, 3], 1)).toEqual({ kind: 'park-first', diedAlone: 1 });
  });
});
