import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './run';
import { TableStreamConsumer } from '../../src';

let dir: string;
let handlerFile: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redrive-'));
  handlerFile = path.join(dir, 'index.js');
  // A stand-in for a bundled createTransactionalStreamHandler: it answers the redrive event with what it was asked.
  fs.writeFileSync(handlerFile, `
exports.handler = async (event, context) => {
  const keys = event.redriveParkedRecords.keys ?? [];
  const stuck = keys.filter((k) => k.PK.S === 'stuck');
  return {
    keys: keys.length, redriven: keys.length - stuck.length, stillParked: stuck.length * 2,
    failures: stuck.map((k) => ({ itemKey: JSON.stringify(k), sequenceNumber: '7', error: 'Error: still poison' })),
    table: process.env.PARKED_RECORDS_TABLE_NAME, consumerId: process.env.STREAM_CONSUMER_ID, timeLeft: context.getRemainingTimeInMillis(),
  };
};
exports.notAHandler = 1;
`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => delete process.env[TableStreamConsumer.CONSUMER_ID_ENVIRONMENT_VARIABLE]);

test('--consumer-id reaches the handler as the variable TableStreamConsumer sets, so its parked records are found', async () => {
  const run = await runCli('redrive', '--handler-file', handlerFile, '--consumer-id', 'TaskTracker/OpenTaskCount', '--json');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout).consumerId).toBe('TaskTracker/OpenTaskCount');
  expect(run.stderr).toBe('');
});

test('without a consumer identity it says which parked records it reads', async () => {
  const run = await runCli('redrive', '--handler-file', handlerFile, '--json');
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout).consumerId).toBeUndefined();
  expect(run.stderr).toMatch(/^Assumed: no consumer identity \(--consumer-id, STREAM_CONSUMER_ID\).*For a TableStreamConsumer, pass its consumerId\.\n$/);
});

test('passes the keys to the handler\'s redrive and reports what it replayed', async () => {
  const run = await runCli('redrive', '--handler-file', handlerFile, '--key', '{"PK":{"S":"a"}}', '--key', '{"PK":{"S":"b"},"SK":{"S":"x"}}',
    '--parked-records-table', 'Parked', '--timeout', '30', '--json');
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout);
  expect(result).toMatchObject({ keys: 2, redriven: 2, stillParked: 0, table: 'Parked' });
  expect(result.timeLeft).toBeGreaterThan(29_000);
  expect(result.timeLeft).toBeLessThanOrEqual(30_000);
});

test('exits 1 when records stay parked, and says which and why', async () => {
  const run = await runCli('redrive', '--handler-file', handlerFile, '--key', '{"PK":{"S":"stuck"}}');
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/0 record\(s\) replayed over 1 item key\(s\); 2 still parked\.\n {2}\{"PK":\{"S":"stuck"\}\} @ 7: Error: still poison/);
  expect(run.stderr).toMatch(/redrive: some records are still parked/);
});

test('fails on a key that is not DynamoDB JSON', async () => {
  const run = await runCli('redrive', '--handler-file', handlerFile, '--key', '{"PK":"a"}');
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/`--key` is '\{"PK":"a"\}'; it must be an item key in DynamoDB JSON/);
});

test('fails on an export that is not a function', async () => {
  const run = await runCli('redrive', '--handler-file', handlerFile, '--export', 'notAHandler');
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/`--export` is 'notAHandler'; .* exports no function of that name/);
});
