import { runCli, runCliJson } from './run';

// The worked cases of test/cost/table-class-and-reserved.test.ts, through the CLI.
const LARGE_RARELY_READ = ['--reads', '10/s', '--writes', '5/s', '--item-size', '1KB', '--storage', '10000GB', '--unpredictable'];
const SMALL_BUSY = ['--reads', '800/s', '--writes', '400/s', '--item-size', '1KB', '--item-count', '1000000'];

describe('cost --table-class and reserved capacity', () => {
  test('a large, rarely read table is told to move to Standard-IA, with the reason and the figures', async () => {
    const run = await runCli('cost', ...LARGE_RARELY_READ);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Table class priced: Standard.');
    expect(run.stdout).toMatch(/Recommended table class: Standard-IA\. Standard-IA: storage is 100% of the Standard bill's storage and throughput, above the 29% /);
    expect(run.stdout).toMatch(/USD 3016\.5\d a month on Standard-IA against USD 4514\.0\d on Standard \(on-demand\)/);
  });

  test('--table-class standard-ia prices Standard-IA', async () => {
    const json = await runCliJson('cost', ...LARGE_RARELY_READ, '--table-class', 'standard-ia');
    expect(json.tableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(json.onDemand.storageCost).toBe(1000);
    expect(json.reservedCapacity).toEqual([]);
  });

  test('a steady, busy table gets 1- and 3-year reserved figures', async () => {
    const run = await runCli('cost', ...SMALL_BUSY);
    expect(run.stdout).toMatch(/1-year: 5 x 100 RCU, 5 x 100 WCU: 900\.00 upfront \+ 0\.0765 an hour; provisioned then costs [\d,.]+ a month \(153\.8\d less\)/);
    expect(run.stdout).toMatch(/3-year: 5 x 100 RCU, 5 x 100 WCU: 1,080\.00 upfront \+ 0\.0485 an hour/);
    expect(run.stdout).toContain('Standard table class');
  });

  test('an unknown table class is refused, naming the flag and the choices', async () => {
    const run = await runCli('cost', ...SMALL_BUSY, '--table-class', 'glacier');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`--table-class` is 'glacier': use standard or standard-ia.");
  });
});
