import * as path from 'path';
import { Command } from 'commander';
import { print } from './options';

interface RedriveOptions {
  readonly handlerFile: string;
  readonly export: string;
  readonly key: string[];
  readonly parkedRecordsTable?: string;
  readonly idempotencyTable?: string;
  readonly consumerId?: string;
  readonly timeout: string;
  readonly json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `cdk-dynamodb-blueprints redrive`: replays parked stream records with the consumer's own bundled handler,
 * in this process, with the caller's credentials. The handler (`createTransactionalStreamHandler`) applies
 * each parked record of a key in stream order, exactly once, and keeps the key parked from the first record
 * that fails again.
 */
export function registerRedriveCommand(program: Command): void {
  program.command('redrive')
    .description('Replay the parked records of a stream consumer, in stream order per item key, each exactly once, with its bundled handler.')
    .requiredOption('--handler-file <file>', 'the consumer\'s bundled handler (the index.js NodejsFunction built), or its module')
    .option('--export <name>', 'the handler\'s export', 'handler')
    .option('--key <json>', 'an item key to replay, as a stream record\'s Keys in DynamoDB JSON, e.g. \'{"PK":{"S":"TASK#1"}}\' (repeatable; default: every parked key)', collect, [])
    .option('--parked-records-table <name>', 'the parked-records table (sets PARKED_RECORDS_TABLE_NAME)')
    .option('--idempotency-table <name>', 'the consumer\'s idempotency table, which holds the records\' markers (sets IDEMPOTENCY_TABLE_NAME)')
    .option('--consumer-id <id>', 'the consumer\'s identity (TableStreamConsumer.consumerId, its STREAM_CONSUMER_ID), which names its parked records (sets STREAM_CONSUMER_ID)')
    .option('--timeout <seconds>', 'stop starting records after this long', '600')
    .option('--json', 'print JSON')
    .action(async (options: RedriveOptions, command: Command) => {
      const keys = options.key.map((text) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)
          || !Object.values(parsed).every((v) => typeof v === 'object' && v !== null && Object.keys(v).length === 1)) {
          throw new Error(`\`--key\` is '${text}'; it must be an item key in DynamoDB JSON, as in a stream record's Keys: for example '{"PK":{"S":"TASK#1"},"SK":{"S":"TASK"}}'.`);
        }
        return parsed;
      });
      const seconds = Number(options.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0) {
        throw new Error(`\`--timeout\` is '${options.timeout}'; it must be a number of seconds above 0, for example 600.`);
      }
      if (options.parkedRecordsTable) {
        process.env.PARKED_RECORDS_TABLE_NAME = options.parkedRecordsTable;
      }
      if (options.idempotencyTable) {
        process.env.IDEMPOTENCY_TABLE_NAME = options.idempotencyTable;
      }
      if (options.consumerId !== undefined) {
        process.env.STREAM_CONSUMER_ID = options.consumerId;
      } else if (process.env.STREAM_CONSUMER_ID === undefined) {
        // Without an identity the handler reads the layout of a consumer that has none: a TableStreamConsumer's
        // parked records would not be found, so say which layout is read.
        const note = 'Assumed: no consumer identity (--consumer-id, STREAM_CONSUMER_ID): the parked records of a handler used without TableStreamConsumer. '
          + 'For a TableStreamConsumer, pass its consumerId.';
        command.configureOutput().writeErr?.(`${note}\n`);
      }
      const file = path.resolve(options.handlerFile);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const handler = require(file)[options.export];
      if (typeof handler !== 'function') {
        throw new Error(`\`--export\` is '${options.export}'; ${file} exports no function of that name: give the export the consumer's function runs (its \`handler\` setting).`);
      }
      const deadline = Date.now() + seconds * 1000;
      const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'redrive', getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
      const result = await handler({ redriveParkedRecords: keys.length > 0 ? { keys } : {} }, context);
      if (typeof result?.stillParked !== 'number') {
        throw new Error(`${file} did not answer the redrive event: its \`${options.export}\` must be a createTransactionalStreamHandler handler.`);
      }
      print(command, options.json ? JSON.stringify(result, null, 2)
        : [
          `${result.redriven} record(s) replayed over ${result.keys} item key(s); ${result.stillParked} still parked.`,
          ...result.failures.map((f: { itemKey: string; sequenceNumber: string; error: string }) => `  ${f.itemKey} @ ${f.sequenceNumber}: ${f.error}`),
        ].join('\n'));
      if (result.stillParked > 0) {
        command.error('redrive: some records are still parked: fix what makes them fail, then redrive again.', { exitCode: 1, code: 'redrive.stillParked' });
      }
    });
}
