import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, runCliJson } from './run';
import { CapacityCalculator, CostEstimator, PriceTable } from '../../src';
import { REFERENCE_CASES } from '../capacity/reference-cases';

describe('the program', () => {
  test('--help describes every command, the units and the exit codes', async () => {
    const run = await runCli('--help');
    expect(run.code).toBe(0);
    const commands = ['capacity', 'cost', 'check-migration', 'record-baseline', 'heat', 'redrive'];
    const description = run.stdout.split('Options:')[0].replace(/\s+/g, ' ');
    for (const command of commands) {
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command} .*\\S`));
      expect(description).toContain(`(${command})`);
      const help = await runCli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: cdk-dynamodb-blueprints ${command}`);
    }
    expect(run.stdout).toContain('Sizes take a unit (400B, 10KB, 50GB; 1 KB = 1,024 bytes) and rates a unit of time (400/s, 30000/min)');
    expect(run.stdout).toContain('Exit codes: 0 fine; 1 the answer shows what will throttle, fail or lose data');
  });

  test('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const run = await runCli(flag);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(version);
      expect(run.stderr).toBe('');
    }
  });
});

describe('capacity', () => {
  test.each(REFERENCE_CASES.map((c) => [c.source, c] as const))('%s', async (_source, c) => {
    const json = await runCliJson('capacity', ...c.argv);
    expect(json.readCapacityUnits).toBe(c.readCapacityUnits);
    expect(json.writeCapacityUnits).toBe(c.writeCapacityUnits);
  });

  test('prints the units and how they were computed', async () => {
    const run = await runCli('capacity', '--operation', 'query', '--item-size', '1KB', '--items', '10');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('read capacity units:  1.5');
    expect(run.stdout).toContain('10 item(s) summed to 10 KB, rounded up to 12 KB');
  });

  test('an update takes the previous size', async () => {
    expect((await runCliJson('capacity', '--operation', 'update', '--item-size', '1KB', '--previous-item-size', '2.5KB')).writeCapacityUnits).toBe(3);
  });

  test('JSON output matches the library', async () => {
    const json = await runCliJson('capacity', '--operation', 'batch-get', '--item-size', '5000B', '--items', '7');
    expect(json).toEqual(JSON.parse(JSON.stringify(CapacityCalculator.forOperation({ operation: 'BatchGetItem' as any, itemSizeBytes: 5000, items: 7 }))));
  });

  test('fails on a negative size', async () => {
    const run = await runCli('capacity', '--operation', 'get', '--item-size', '-5KB');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--item-size` is '-5KB': a size cannot be negative/);
    expect(run.stdout).toBe('');
  });

  test('fails on an item over 400 KB', async () => {
    const run = await runCli('capacity', '--operation', 'put', '--item-size', '401KB');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--item-size` is 410624 bytes \(401 KB\): DynamoDB items are at most 400 KB/);
  });

  test('fails on an unknown operation', async () => {
    const run = await runCli('capacity', '--operation', 'upsert', '--item-size', '1KB');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/argument 'upsert' is invalid. Allowed choices are get, query, scan, batch-get, put, update, delete, batch-write, transact-get, transact-write/);
  });

  test('fails on a strongly consistent read of a GSI', async () => {
    const run = await runCli('capacity', '--operation', 'query', '--item-size', '1KB', '--consistency', 'strong', '--gsi');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`consistency` is STRONG on a global secondary index/);
  });

  test('fails on an unknown consistency', async () => {
    const run = await runCli('capacity', '--operation', 'get', '--item-size', '1KB', '--consistency', 'transactional');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/argument 'transactional' is invalid. Allowed choices are eventual, strong/);
  });

  test('fails on a size that is not a size', async () => {
    const run = await runCli('capacity', '--operation', 'get', '--item-size', 'big');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--item-size` is 'big', which is not a size: write a number with a unit: B, KB, MB or GB/);
  });

  test.each([
    ['capacity', '--item-size', ['--operation', 'get', '--item-size', '4096']],
    ['capacity', '--previous-item-size', ['--operation', 'update', '--item-size', '1KB', '--previous-item-size', '2048']],
    ['cost', '--item-size', ['--reads', '1/s', '--writes', '1/s', '--item-size', '1024']],
    ['cost', '--storage', ['--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--storage', '50']],
    ['cost', '--gsi', ['--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--gsi', 'byStatus:300']],
  ])('%s refuses a size without a unit in %s', async (command, flag, argv) => {
    const run = await runCli(command, ...argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`\`${flag}\` is '`);
    expect(run.stderr).toContain('a number without a unit: write a number with a unit: B, KB, MB or GB (1 KB = 1,024 bytes), for example 400B, 10KB, 1.5KB or 50GB.');
  });

  test.each([
    ['cost', '--reads', ['--reads', '400', '--writes', '1/s', '--item-size', '1KB', '--storage', '1GB']],
    ['cost', '--writes', ['--reads', '1/s', '--writes', '60', '--item-size', '1KB', '--storage', '1GB']],
    ['heat', '--reads', ['--reads', '400', '--item-size', '1KB', '--keys', '5']],
    ['heat', '--writes', ['--writes', '60', '--item-size', '1KB', '--keys', '5']],
  ])('%s refuses a rate without a unit in %s, with the same words', async (command, flag, argv) => {
    const run = await runCli(command, ...argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`\`${flag}\` is '`);
    expect(run.stderr).toContain("', a number without a unit: write a number of requests with its unit, per second (/s), minute (/min), hour (/h) or day (/day), "
      + 'for example 500/s or 30000/min.');
  });

  test('a rate means the same in any unit: 400/s = 24000/min = 1440000/h = 34560000/day', async () => {
    const costs = await Promise.all(['400/s', '24000/min', '1440000/h', '34560000/day'].map(async (rate) =>
      (await runCliJson('cost', '--reads', rate, '--writes', rate, '--item-size', '1KB', '--storage', '1GB')).readUnitsPerSecond));
    // 400 eventually consistent reads of 1 KB a second: 400 x 0.5 = 200 read units a second.
    expect(costs).toEqual([200, 200, 200, 200]);
  });

  test('accepts every unit, and a space before it', async () => {
    // 0.5 GB = 512 MB = 524,288 KB = 536,870,912 B: the same table size four ways.
    const sizes = ['0.5GB', '512MB', '524288 KB', '536870912B'];
    const storage = await Promise.all(sizes.map(async (size) =>
      (await runCliJson('cost', '--reads', '0/s', '--writes', '0/s', '--item-size', '1KB', '--storage', size)).storageGb));
    expect(storage).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  test('fails on a bad item count', async () => {
    const run = await runCli('capacity', '--operation', 'query', '--item-size', '1KB', '--items', '0');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--items` is '0': it must be a whole number of at least 1/);
  });

  test('fails on a missing option', async () => {
    const run = await runCli('capacity', '--operation', 'get');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option '--item-size <size>' not specified/);
  });

  test('fails on an unknown command, and --help exits 0', async () => {
    expect((await runCli('capacitee')).code).toBe(2);
    const help = await runCli('capacity', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--operation <operation>');
  });
});

describe('cost', () => {
  test('states the defaults it took for what changes the price, and exits 0', async () => {
    const run = await runCli('cost', '--reads', '100/s', '--writes', '10/s', '--item-size', '1KB');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Assumed: no stored data (0 GB), since neither --storage nor --item-count is given');
    expect(run.stdout).toContain('Assumed (pass the flag to change it): --region us-east-1 (its prices); --target-utilization 70%; --min-capacity 1 unit(s); '
      + '--customer-managed-keys one per region');
    const given = await runCli('cost', '--reads', '100/s', '--writes', '10/s', '--item-size', '1KB', '--storage', '5GB', '--region', 'us-east-1',
      '--target-utilization', '70', '--min-capacity', '1', '--customer-managed-keys', '1', '--key-callers', '1');
    expect(given.stdout).not.toContain('Assumed');
    // With --json the note goes to stderr, so that stdout stays JSON.
    const json = await runCli('cost', '--reads', '100/s', '--writes', '10/s', '--item-size', '1KB', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).storageGb).toBe(0);
    expect(json.stderr).toContain('Assumed: no stored data (0 GB)');
  });

  const WORKLOAD = ['--reads', '200/s', '--writes', '40/s', '--item-size', '1KB', '--storage', '20GB', '--gsi', 'byAssignee:300B:1:0.3'];

  test('JSON has the cost of each mode and the recommended mode, as the library computes them', async () => {
    const json = await runCliJson('cost', ...WORKLOAD);
    const expected = CostEstimator.estimate({
      readsPerSecond: 200,
      writesPerSecond: 40,
      itemSizeBytes: 1024,
      storageGb: 20,
      indexes: [{ indexName: 'byAssignee', entrySizeBytes: 300, writesPerItemWrite: 1, readShare: 0.3 }],
    });
    expect(json.onDemand.monthlyCost).toBe(expected.onDemand.monthlyCost);
    expect(json.provisioned.monthlyCost).toBe(expected.provisioned.monthlyCost);
    expect(json.recommendedMode).toBe(expected.recommendedMode);
    expect(json.reason).toBe(expected.reason);
  });

  test('prints both modes side by side with the recommendation', async () => {
    const run = await runCli('cost', ...WORKLOAD, '--unpredictable');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Prices: us-east-1, USD, dated \d{4}-\d{2}-\d{2}/);
    expect(run.stdout).toMatch(/total per month\s+[\d,.]+\s+[\d,.]+/);
    expect(run.stdout).toContain('Recommended: on-demand. The traffic is not predictable');
  });

  test('prints contributor insights and KMS keys as their own lines, with their price sources', async () => {
    const run = await runCli('cost', '--reads', '100/s', '--writes', '10/s', '--item-size', '1KB', '--no-pitr');
    expect(run.code).toBe(0);
    // No index: 4 table rules x 0.50 = 2.00; 110 events a second x 2,628,000 = 289.08 million x 0.03 = 8.6724.
    expect(run.stdout).toMatch(/\n  contributor insights\s+10\.67\s+10\.67\n/);
    // One key, 8,760 requests: 1.00 + 0.02628.
    expect(run.stdout).toMatch(/\n  KMS keys\s+1\.03\s+1\.03\n/);
    expect(run.stdout).toContain('Contributor insights: 4 rules, 289.08 million events a month; prices dated 2026-12-01, https://aws.amazon.com/cloudwatch/pricing/');
    expect(run.stdout).toContain('KMS keys: 1 customer managed key(s), 8760 requests a month; prices dated 2026-12-01, https://aws.amazon.com/kms/pricing/');
  });

  test('contributor insights and the KMS key can be left out', async () => {
    const json = await runCliJson('cost', '--reads', '100/s', '--writes', '10/s', '--item-size', '1KB', '--no-contributor-insights', '--customer-managed-keys', '0');
    expect([json.onDemand.contributorInsightsCost, json.onDemand.encryptionKeyCost, json.contributorInsightsRules, json.customerManagedKeys])
      .toEqual([0, 0, 0, 0]);
    const bad = await runCli('cost', '--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--customer-managed-keys', '-1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("`--customer-managed-keys` is '-1': it must be a whole number of at least 0.");
  });

  test('reads a price file for another region', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prices-'));
    const file = path.join(dir, 'prices.json');
    const table = PriceTable.builtIn().withRegion({ ...PriceTable.builtIn().forRegion('us-east-1'), region: 'eu-west-1', storageGbMonth: 1 }, '2026-11-20');
    fs.writeFileSync(file, JSON.stringify(table.toJson()));
    const json = await runCliJson('cost', '--reads', '0/s', '--writes', '0/s', '--item-size', '1KB', '--storage', '10GB', '--no-pitr', '--region', 'eu-west-1', '--prices', file);
    expect(json.priceDate).toBe('2026-11-20');
    expect(json.onDemand.storageCost).toBe(10);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('fails on a region without prices', async () => {
    const run = await runCli('cost', '--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--region', 'ap-south-1');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`region` is 'ap-south-1', which this price table .* has no prices for/);
  });

  test('fails on negative rates', async () => {
    const run = await runCli('cost', '--reads', '-3/s', '--writes', '1/s', '--item-size', '1KB');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`--reads` is '-3/s': a rate cannot be negative.");
  });

  test('fails on an item over 400 KB', async () => {
    const run = await runCli('cost', '--reads', '1/s', '--writes', '1/s', '--item-size', '500KB');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--item-size` is 512000 bytes/);
  });

  test('fails on a malformed index', async () => {
    const run = await runCli('cost', '--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--gsi', 'byAssignee');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--gsi` is 'byAssignee': write name:entrySize/);
  });

  test('fails on an unreadable price file', async () => {
    const run = await runCli('cost', '--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--prices', '/nonexistent/prices.json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--prices` is '\/nonexistent\/prices.json', which could not be read as JSON/);
  });

  test('fails on a target utilization out of range', async () => {
    const run = await runCli('cost', '--reads', '1/s', '--writes', '1/s', '--item-size', '1KB', '--target-utilization', '95');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`--target-utilization` is '95': it must be a number from 20 to 90/);
  });
});

describe('the bin, spawned', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const spawn = (...args: string[]) => spawnSync('npx', ['ts-node', '--transpile-only', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  test('prints JSON and exits 0, or exits 2 on bad input', () => {
    const ok = spawn('capacity', '--operation', 'get', '--item-size', '10KB', '--consistency', 'strong', '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ readCapacityUnits: 3, writeCapacityUnits: 0 });

    const bad = spawn('capacity', '--operation', 'get', '--item-size', '401KB', '--json');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/at most 400 KB/);
  });
});
