import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable, IndexProjection } from '../../src';
import { createTablesFromTemplate, DynamoDBLocal, localClientConfig, startDynamoDBLocal } from '../../tools/dynamodb-local';
import { testStack } from '../util';

/** Local addresses of the sockets listening on `port`, from /proc/net/tcp and tcp6 (Linux). */
function listeningAddresses(port: number): string[] {
  const result: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) {
      continue;
    }
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // st 0A = LISTEN
      if (cols.length < 4 || cols[3] !== '0A') {
        continue;
      }
      const [address, hexPort] = cols[1].split(':');
      if (parseInt(hexPort, 16) === port) {
        result.push(address);
      }
    }
  }
  return result;
}

/** 127.0.0.1 as /proc/net writes it: little-endian hex, alone or IPv4-mapped in IPv6. */
const LOOPBACK_V4 = '0100007F';
const LOOPBACK_V4_MAPPED = '0000000000000000FFFF00000100007F';

function connect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DynamoDB Local harness', () => {
  let local: DynamoDBLocal;
  let client: DynamoDBClient;

  beforeAll(async () => {
    local = await startDynamoDBLocal();
    client = new DynamoDBClient(localClientConfig(local.endpoint));
  });

  afterAll(async () => {
    client?.destroy();
    await local?.stop();
  });

  test('listens on 127.0.0.1 only, on the port it reports', async () => {
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    expect(await connect('127.0.0.1', local.port)).toBe('connected');
    const addresses = listeningAddresses(local.port);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      expect([LOOPBACK_V4, LOOPBACK_V4_MAPPED]).toContain(address);
    }
    const external = Object.values(os.networkInterfaces()).flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    for (const address of external) {
      expect(await connect(address, local.port)).toBe('ECONNREFUSED');
    }
  });

  test('creates the tables of a synthesized template: keys, indexes, projections, stream and TTL', async () => {
    const stack = testStack();
    new BlueprintTable(stack, 'Tasks', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byAssignee',
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.NUMBER },
        projection: IndexProjection.include(['title', 'status']),
      }, {
        indexName: 'byKeys',
        partitionKey: { name: 'GSI2PK', type: AttributeType.STRING },
        projection: IndexProjection.keysOnly(),
      }],
      blueprintLocalSecondaryIndexes: [{
        indexName: 'byDue',
        sortKey: { name: 'dueDate', type: AttributeType.STRING },
        projection: IndexProjection.all(),
      }],
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    const tables = await createTablesFromTemplate(client, Template.fromStack(stack).toJSON(), { tableNamePrefix: 'harness-' });

    expect(tables.map((t) => t.tableName)).toEqual([expect.stringMatching(/^harness-Tasks/)]);
    expect(tables[0].streamArn).toMatch(/^arn:aws:dynamodb:.*:table\/harness-Tasks.*\/stream\//);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tables[0].tableName }));
    expect(Table!.KeySchema).toEqual([{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }]);
    expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table!.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const gsis = Object.fromEntries((Table!.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
    expect(gsis.byAssignee.KeySchema).toEqual([{ AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' }]);
    expect(gsis.byAssignee.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['title', 'status'] });
    expect(gsis.byKeys.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
    expect(Table!.LocalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.[1].AttributeName, i.Projection?.ProjectionType]))
      .toEqual([['byDue', 'dueDate', 'ALL']]);
    expect(Table!.AttributeDefinitions).toEqual(expect.arrayContaining([
      { AttributeName: 'GSI1SK', AttributeType: 'N' },
      { AttributeName: 'dueDate', AttributeType: 'S' },
    ]));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tables[0].tableName }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  test('stop() ends the process and frees the port', async () => {
    const other = await startDynamoDBLocal();
    const otherClient = new DynamoDBClient(localClientConfig(other.endpoint));
    expect((await otherClient.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    otherClient.destroy();
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    expect(isAlive(other.pid)).toBe(false);
    expect(await connect('127.0.0.1', other.port)).toBe('ECONNREFUSED');
    await other.stop();
  });
});
