import { runCli, runCliJson } from '../cli/run';

/** `heat --json` for a key over a partition's limits: exit 1, the forecast on stdout. */
async function overLimitJson(...argv: string[]): Promise<any> {
  const run = await runCli('heat', ...argv, '--json');
  expect(run.code).toBe(1);
  return JSON.parse(run.stdout);
}

describe('heat', () => {
  test('--json: Zipf over 4 keys, s = 1: the top key takes 12/25 of 1,000 writes/s of 4 KB (4 WCU) = 1,920 WCU/s -> 3 shards', async () => {
    const json = await overLimitJson('--writes', '1000/s', '--reads', '2000/s', '--item-size', '4KB', '--keys', '4', '--zipf', '1');
    // Writes: 480/s x 4 WCU (4 KB) = 1,920; reads: 960/s x 0.5 RCU = 480.
    expect(json.hottest.writeUnitsPerSecond).toBeCloseTo(1920, 9);
    expect(json.hottest.readUnitsPerSecond).toBeCloseTo(480, 9);
    // 1,920 / 800 = 2.4 -> 3 shards.
    expect(json.shardsNeeded).toBe(3);
    expect(json.readsOverLimit).toBe(false);
    expect(json.hottestShare).toBeCloseTo(0.48, 12);
  });

  test('uniform over --keys when no distribution flag is given; rates per minute are converted', async () => {
    // 60,000/min = 1,000/s over 4 keys, 1 KB: 250 WCU/s.
    const json = await runCliJson('heat', '--writes', '60000/min', '--item-size', '1KB', '--keys', '4');
    expect(json.hottest.writeUnitsPerSecond).toBe(250);
    expect(json.distribution).toBe('uniform over 4 values');
    expect(json.shardsNeeded).toBe(1);
  });

  test('a time bucket: 300 writes/s of 1 KB all on the current hour, peak factor 3 = 900 WCU/s; --utilization 0.5: 900 / 500 -> 2 shards', async () => {
    const json = await runCliJson('heat', '--writes', '300/s', '--peak-factor', '3', '--item-size', '1KB', '--keys', '24', '--time-bucket', 'hour', '--utilization', '0.5');
    expect(json.hottest.writeUnitsPerSecond).toBe(900);
    expect(json.shardsNeeded).toBe(2);
    expect(json.level).toBe('WARNING');
  });

  test('the shard count at the boundary: 2,400 WCU/s on one key is exactly 3 shards of 800', async () => {
    expect((await overLimitJson('--writes', '2400/s', '--item-size', '1KB', '--keys', '1')).shardsNeeded).toBe(3);
    expect((await overLimitJson('--writes', '2401/s', '--item-size', '1KB', '--keys', '1')).shardsNeeded).toBe(4);
  });

  test('reads over the limit: 10,000 strong reads/s of 4 KB over 2 keys = 5,000 RCU/s', async () => {
    const json = await overLimitJson('--reads', '10000/s', '--item-size', '4KB', '--consistency', 'strong', '--keys', '2');
    expect(json.hottest.readUnitsPerSecond).toBe(5000);
    expect(json.readsOverLimit).toBe(true);
  });

  test('text: the hottest value, the shards, the readers\' cost and a bar per key value against the limit', async () => {
    const run = await runCli('heat', '--writes', '2500/s', '--peak-factor', '5', '--reads', '20/s', '--items-per-read', '50', '--item-size', '200B', '--keys', '5', '--hottest-share', '0.6');
    expect(run.code).toBe(1);
    // 12,500 writes/s x 60% = 7,500 WCU/s; 7,500 / 800 = 9.4 -> 10 shards of 750.
    expect(run.stdout).toContain('writes: 7,500 requests/s x 1 WCU = 7,500 WCU/s');
    expect(run.stdout).toContain('Write shards needed: 10 (750 WCU/s per shard).');
    expect(run.stdout).toContain('readers then make 10 queries per read: 1.5 -> 5 RCU per read.');
    expect(run.stdout).toMatch(/hottest +[#|!.]{40} 7,500 WCU\/s/);
    expect(run.stdout).toMatch(/#2 +[#|!.]{40} 1,250 WCU\/s/);
    expect(run.stdout).toContain('ERROR: Heat forecast:');
  });

  test('exits 0 within a partition\'s limits, a WARNING over the utilization target included, and 1 over them (ERROR: it will throttle)', async () => {
    // 700 writes/s of 1 KB on one key: under 800 (80% of 1,000) WCU/s: OK.
    const ok = await runCli('heat', '--writes', '700/s', '--item-size', '1KB', '--keys', '1');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    // 900: over 800, under 1,000: a warning.
    const warning = await runCli('heat', '--writes', '900/s', '--item-size', '1KB', '--keys', '1', '--json');
    expect(warning.code).toBe(0);
    expect(JSON.parse(warning.stdout).level).toBe('WARNING');
    // 1,100: over the 1,000 one partition serves.
    const error = await runCli('heat', '--writes', '1100/s', '--item-size', '1KB', '--keys', '1', '--json');
    expect(error.code).toBe(1);
    expect(JSON.parse(error.stdout).level).toBe('ERROR');
    expect(error.stderr).toContain('heat: the hottest key value goes over a partition\'s limits: its requests will throttle.');
  });

  test('states the defaults it took', async () => {
    const run = await runCli('heat', '--reads', '10/s', '--item-size', '1KB', '--keys', '10');
    expect(run.stdout).toContain('Assumed (pass the flag to change it): --peak-factor 1 (the busiest second is the average); --consistency eventual; '
      + '--items-per-read 1 (a GetItem); --utilization 0.8 of a partition\'s limits.');
  });

  test.each([
    ['a share above 1', ['--writes', '10/s', '--item-size', '1KB', '--keys', '5', '--hottest-share', '1.5'], /`--hottest-share` is '1.5': a share is a fraction above 0 and at most 1/],
    ['N of 0', ['--writes', '10/s', '--item-size', '1KB', '--keys', '0'], /`--keys` is '0': it must be a whole number of at least 1/],
    ['a rate without a unit', ['--writes', '500', '--item-size', '1KB', '--keys', '5'], /`--writes` is '500', a number without a unit: write a number of requests with its unit, per second \(\/s\), minute \(\/min\), hour \(\/h\) or day \(\/day\), for example 500\/s/],
    ['a rate with an unknown unit', ['--reads', '5/fortnight', '--item-size', '1KB', '--keys', '5'], /`--reads` is '5\/fortnight', which is not a rate: write a number of requests with its unit/],
    ['a size that is not a size', ['--writes', '10/s', '--item-size', 'big', '--keys', '5'], /`--item-size` is 'big'/],
    ['conflicting distribution flags', ['--writes', '10/s', '--item-size', '1KB', '--keys', '5', '--zipf', '1', '--hottest-share', '0.3'], /`--hottest-share` and `--zipf` are both given: choose one distribution/],
    ['a share below the even share', ['--writes', '10/s', '--item-size', '1KB', '--keys', '2', '--hottest-share', '0.3'], /`share` is 0.3 over 2 values, less than the even share 1\/2 = 0.5/],
    ['no rate', ['--item-size', '1KB', '--keys', '5'], /`--reads` and `--writes` are both missing/],
    ['a utilization of 0', ['--writes', '10/s', '--item-size', '1KB', '--keys', '5', '--utilization', '0'], /`--utilization` is '0': it is the share of a partition's limits a key value may use, above 0 and at most 1/],
    ['an unknown time bucket', ['--writes', '10/s', '--item-size', '1KB', '--keys', '5', '--time-bucket', 'week'], /argument 'week' is invalid. Allowed choices are day, hour, month/],
    ['no --keys', ['--writes', '10/s', '--item-size', '1KB'], /required option '--keys <n>' not specified/],
  ])('exits 2 on %s', async (_why, argv, message) => {
    const run = await runCli('heat', ...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
