/*
 * A stream consumer whose effects show what happened: for each record of item `k` with version `v`,
 * it appends `v` to the list `versions` of the target item `log#<k>` (order-sensitive: a duplicate or an
 * inversion shows in the list) and adds 1 and `v` to the `records` and `sum` of the target item `total`
 * (commutative: several records' adds are summed). A record whose new image has `poison` fails, unless
 * ACCEPT_POISON=1 (the fix deployed before a redrive). THROW_AFTER_EFFECT lists versions whose logic
 * throws after stating (or, with Powertools, making) its effects. KILL_IN_LOGIC and HANG_IN_LOGIC list
 * `key:version` records whose logic kills its own process with SIGKILL, or spins until the function's
 * timeout stops it, unless ACCEPT_POISON=1. EXTRA_EFFECTS (`key:version=n`, comma-separated) gives those
 * records n more effects (puts of `extra#<key>#<version>#<i>`), to reach DynamoDB's 100-item transactions.
 * LATEST_TABLE_NAME names a table (partition key `PK`) only ever written with puts: each record also puts
 * `{ PK: 'latest#<key>', v }` there, or with LATEST_ITEM=shared `{ PK: 'latest', k, v }` (the last change
 * of any key), so records of different keys put one item. PUT_TWICE lists `key:version` records whose
 * logic puts their item there twice, with different values (a fault DynamoDB refuses in a transaction).
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
// eslint-disable-next-line import/order
import { createStreamHandler } from 'cdk-dynamodb-blueprints-runtime/stream-handler';
import { createTransactionalStreamHandler, Effects } from 'cdk-dynamodb-blueprints-runtime/transactional-stream-handler';

const client = new DynamoDBClient({});
const target = process.env.TARGET_TABLE_NAME!;
const throwAfter = new Set((process.env.THROW_AFTER_EFFECT ?? '').split(',').filter(Boolean));
const listed = (name: string) => new Set((process.env[name] ?? '').split(',').filter(Boolean));
const killIn = listed('KILL_IN_LOGIC');
const hangIn = listed('HANG_IN_LOGIC');
const extraEffects = new Map([...listed('EXTRA_EFFECTS')].map((e) => e.split('=')).map(([record, n]) => [record, Number(n)]));

function read(record: DynamoDBRecord): { k: string; v: number } {
  const image = record.dynamodb?.NewImage;
  if (image?.poison && process.env.ACCEPT_POISON !== '1') {
    throw new Error(`Item ${image.k?.S} version ${image.v?.N} is poison.`);
  }
  const k = image!.k.S!;
  const v = Number(image!.v.N);
  if (process.env.ACCEPT_POISON !== '1') {
    if (killIn.has(`${k}:${v}`)) {
      process.kill(process.pid, 'SIGKILL');
    }
    if (hangIn.has(`${k}:${v}`)) {
      // Synchronous: nothing in the process runs again until the timeout kills it.
      for (;;) {
        Date.now();
      }
    }
  }
  return { k, v };
}

function check(v: number): void {
  if (throwAfter.has(String(v))) {
    throw new Error(`Version ${v} fails after its effect.`);
  }
}

export const transactional = createTransactionalStreamHandler((record, effects: Effects) => {
  const { k, v } = read(record);
  effects.update({
    TableName: target,
    Key: { PK: `log#${k}` },
    UpdateExpression: 'SET versions = list_append(if_not_exists(versions, :empty), :v)',
    ExpressionAttributeValues: { ':empty': [], ':v': [v] },
  });
  effects.add({ TableName: target, Key: { PK: 'total' }, values: { records: 1, sum: v } });
  if (process.env.LATEST_TABLE_NAME) {
    const item = process.env.LATEST_ITEM === 'shared' ? { PK: 'latest', k, v } : { PK: `latest#${k}`, v };
    effects.put({ TableName: process.env.LATEST_TABLE_NAME, Item: item });
    if (listed('PUT_TWICE').has(`${k}:${v}`)) {
      effects.put({ TableName: process.env.LATEST_TABLE_NAME, Item: { ...item, again: true } });
    }
  }
  for (let i = 0; i < (extraEffects.get(`${k}:${v}`) ?? 0); i++) {
    effects.put({ TableName: target, Item: { PK: `extra#${k}#${v}#${i}` } });
  }
  check(v);
}, { dynamoDBClient: client });

async function direct(record: DynamoDBRecord): Promise<void> {
  const { k, v } = read(record);
  await client.send(new UpdateItemCommand({
    TableName: target,
    Key: { PK: { S: `log#${k}` } },
    UpdateExpression: 'SET versions = list_append(if_not_exists(versions, :empty), :v)',
    ExpressionAttributeValues: { ':empty': { L: [] }, ':v': { L: [{ N: String(v) }] } },
  }));
  await client.send(new UpdateItemCommand({
    TableName: target,
    Key: { PK: { S: 'total' } },
    UpdateExpression: 'ADD #records :one, #sum :v',
    ExpressionAttributeNames: { '#records': 'records', '#sum': 'sum' },
    ExpressionAttributeValues: { ':one': { N: '1' }, ':v': { N: String(v) } },
  }));
  check(v);
}

const ordering = process.env.RECORD_ORDERING;
export const handler = ordering === 'in-order' || ordering === 'parallel' || ordering === 'per-key'
  ? createStreamHandler(direct, { ordering, dynamoDBClient: client })
  : transactional;

export { handler as readme, noGuarantee, powertools as readmePowertools } from './readme-handler';
