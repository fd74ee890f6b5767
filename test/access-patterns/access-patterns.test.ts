import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import {
  AccessPatternProps, AccessPatternReport, BlueprintTable, IndexProjection, SortKeyCondition,
  SynthesizedTableDefinition,
} from '../../src';
import { TEST_ENV, testApp } from '../util';

/** The exercise's task tracker: tasks by id, by project and due date, by assignee and status. */
function tasks(app: App = testApp()) {
  const stack = new Stack(app, 'Tracker', { env: TEST_ENV });
  const table = new BlueprintTable(stack, 'Tasks', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    blueprintGlobalSecondaryIndexes: [
      { indexName: 'byProject', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, sortKey: { name: 'GSI1SK', type: AttributeType.STRING }, projection: IndexProjection.include(['title', 'status', 'dueDate']) },
      { indexName: 'byAssignee', partitionKey: { name: 'GSI2PK', type: AttributeType.STRING }, sortKey: { name: 'GSI2SK', type: AttributeType.STRING }, projection: IndexProjection.include(['title', 'status', 'dueDate']) },
      { indexName: 'byTenant', partitionKey: { name: 'tenantId', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
    ],
    blueprintLocalSecondaryIndexes: [
      { indexName: 'byUpdated', sortKey: { name: 'updatedAt', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
    ],
  });
  return { app, stack, table };
}

const GET_TASK: AccessPatternProps = {
  name: 'getTask', partitionKey: 'PK', partitionKeyValue: 'TENANT#<t>#TASK#<id>', sortKeyCondition: SortKeyCondition.equalTo('TASK'),
};

/** Synthesizes and returns the validation error text, or '' when synthesis succeeds. */
function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('a valid set of patterns', () => {
  test('synthesizes and writes the report into the cloud assembly', () => {
    const { app, table } = tasks();
    table.addAccessPattern(GET_TASK);
    table.addAccessPattern({
      name: 'projectTasksByDueDate',
      index: 'byProject',
      partitionKey: 'GSI1PK',
      partitionKeyValue: 'PROJECT#<p>',
      partitionKeyShards: 4,
      sortKey: 'GSI1SK',
      sortKeyCondition: SortKeyCondition.beginsWith('DUE#2026-12'),
      returns: ['title', 'status', 'dueDate'],
      typicalResultItems: 40,
      typicalItemSizeBytes: 300,
    });
    const assembly = app.synth();
    const report = fs.readFileSync(path.join(assembly.directory, 'Tracker.Tasks.access-patterns.md'), 'utf8');
    expect(report).toContain('# Access patterns: Tracker / Tasks');
    expect(report).toContain("| getTask | (table) | GetItem | `PK = 'TENANT#<t>#TASK#<id>' AND SK = 'TASK'` | (not declared) | ALL | 0.5 RCU (1 x 1 KB, eventual) |");
    expect(report).toContain("| projectTasksByDueDate | byProject | Query x 4 shards | `GSI1PK = 'PROJECT#<p>' (#0..#3) AND begins_with(GSI1SK, 'DUE#2026-12')` | title, status, dueDate | PK, SK, GSI1PK, GSI1SK, title, status, dueDate | 2 RCU (40 x 0.29 KB over 4 queries, eventual) |");
    expect(report).toContain('```mermaid\nflowchart LR');
    expect(report).toContain('index_byProject[["GSI byProject<br/>GSI1PK / GSI1SK<br/>INCLUDE title, status, dueDate"]]');
    expect(report).toContain('pattern_projectTasksByDueDate(["projectTasksByDueDate"]) -->|Query x4| index_byProject');
    expect(report).toContain('pattern_getTask(["getTask"]) -->|GetItem| table');
    expect(report).not.toContain('## Errors');
  });

  test('the read cost per call is the calculator\'s, summed per shard', () => {
    const { table } = tasks();
    const props: AccessPatternProps = { name: 'recent', partitionKey: 'PK', sortKey: 'updatedAt', sortKeyCondition: SortKeyCondition.greaterThan('2026-11'), index: 'byUpdated', consistentRead: true, typicalResultItems: 25, typicalItemSizeBytes: 700 };
    const [analysis] = AccessPatternReport.analyze(SynthesizedTableDefinition.of(table), [props]);
    expect(analysis).toMatchObject({ operation: 'Query', scope: 'LOCAL', errors: [] });
    // 25 items of 700 B = 17,500 bytes, rounded up to 5 blocks of 4,096 bytes: 5 RCU strongly consistent.
    expect(analysis.readCapacityUnits).toBe(5);
  });

  test('a table without a sort key is read with GetItem by partition key alone', () => {
    const stack = new Stack(testApp(), 'S', { env: TEST_ENV });
    const table = new BlueprintTable(stack, 'Users', { partitionKey: { name: 'userId', type: AttributeType.STRING } });
    const [analysis] = AccessPatternReport.analyze(SynthesizedTableDefinition.of(table), [{ name: 'getUser', partitionKey: 'userId' }]);
    expect(analysis.operation).toBe('GetItem');
    expect(analysis.keyCondition).toBe('userId = :userId');
  });

  test('an index added after the pattern is found at synth', () => {
    const { app, table } = tasks();
    table.addAccessPattern({ name: 'byLabel', index: 'byLabel', partitionKey: 'label' });
    table.addGlobalSecondaryIndex({ indexName: 'byLabel', partitionKey: { name: 'label', type: AttributeType.STRING }, nonKeyAttributes: ['title'] });
    expect(synthError(app)).toBe('');
  });

  test('an LSI may return unprojected attributes: DynamoDB fetches them from the table', () => {
    const { app, table } = tasks();
    table.addAccessPattern({ name: 'recent', index: 'byUpdated', partitionKey: 'PK', returns: ['title'] });
    expect(synthError(app)).toBe('');
  });

  test('a table without patterns writes no report', () => {
    const { app } = tasks();
    const assembly = app.synth();
    expect(fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.access-patterns.md'))).toEqual([]);
  });
});

describe('patterns that fail synthesis', () => {
  const fails = (props: AccessPatternProps, expected: RegExp) => {
    const { app, table } = tasks();
    table.addAccessPattern(props);
    expect(synthError(app)).toMatch(expected);
  };

  test('fails on an index that does not exist', () => {
    fails({ name: 'byOwner', index: 'byOwner', partitionKey: 'ownerId' },
      /Access pattern 'byOwner': `index` is 'byOwner', which is not an index of table Tasks[0-9A-F]+ \(its indexes: byProject, byAssignee, byTenant, byUpdated\)/);
  });

  test('fails on a partition key that is not the index\'s (it would be a Scan)', () => {
    fails({ name: 'tasksByAssignee', index: 'byAssignee', partitionKey: 'assigneeId' },
      /Access pattern 'tasksByAssignee': `partitionKey` is 'assigneeId', but global secondary index byAssignee is keyed by partition key 'GSI2PK': a read that gives no value for 'GSI2PK' is a Scan/);
  });

  test('fails on a partition key that is not the table\'s', () => {
    fails({ name: 'tasksByStatus', partitionKey: 'status' }, /`partitionKey` is 'status', but the table is keyed by partition key 'PK'/);
  });

  test('fails on a sort key that is not the index\'s', () => {
    fails({ name: 'due', index: 'byProject', partitionKey: 'GSI1PK', sortKey: 'dueDate', sortKeyCondition: SortKeyCondition.lessThan('2027') },
      /`sortKey` is 'dueDate', but the sort key of global secondary index byProject is 'GSI1SK': a condition on another attribute is a filter, not a key condition/);
  });

  test('fails on a sort key condition on an index without a sort key', () => {
    fails({ name: 'tenantTasks', index: 'byTenant', partitionKey: 'tenantId', sortKeyCondition: SortKeyCondition.beginsWith('TASK#') },
      /`sortKeyCondition` is begins_with\(<sort key>, 'TASK#'\), but global secondary index byTenant has no sort key/);
  });

  test('fails on a sort key condition on a table without a sort key', () => {
    const app = testApp();
    const stack = new Stack(app, 'S', { env: TEST_ENV });
    const table = new BlueprintTable(stack, 'Users', { partitionKey: { name: 'userId', type: AttributeType.STRING } });
    table.addAccessPattern({ name: 'getUser', partitionKey: 'userId', sortKeyCondition: SortKeyCondition.between('a', 'b') });
    expect(synthError(app)).toMatch(/`sortKeyCondition` is <sort key> BETWEEN 'a' AND 'b', but the table has no sort key: drop the condition/);
  });

  test('fails on a strongly consistent read of a GSI', () => {
    fails({ name: 'mine', index: 'byAssignee', partitionKey: 'GSI2PK', consistentRead: true },
      /`consistentRead` is true on global secondary index byAssignee, which DynamoDB rejects \(ValidationException/);
  });

  test('fails on returned attributes an INCLUDE index does not project', () => {
    fails({ name: 'mine', index: 'byAssignee', partitionKey: 'GSI2PK', returns: ['title', 'priority', 'labels'] },
      /`returns` lists 'priority', 'labels', which global secondary index byAssignee does not project \(INCLUDE: PK, SK, GSI2PK, GSI2SK, title, status, dueDate\): a Query on it returns items without them, silently/);
  });

  test('fails on returned attributes a KEYS_ONLY index does not project', () => {
    fails({ name: 'tenantTasks', index: 'byTenant', partitionKey: 'tenantId', returns: ['title'] },
      /`returns` lists 'title', which global secondary index byTenant does not project \(KEYS_ONLY: PK, SK, tenantId\)/);
  });

  test('reports every error of every pattern at once, and the report marks them', () => {
    const { app, table } = tasks();
    table.addAccessPattern({ name: 'a', index: 'byAssignee', partitionKey: 'x', consistentRead: true });
    table.addAccessPattern({ name: 'b', index: 'nope', partitionKey: 'y' });
    const message = synthError(app);
    expect(message).toMatch(/Access pattern 'a': `partitionKey` is 'x'/);
    expect(message).toMatch(/Access pattern 'a': `consistentRead` is true/);
    expect(message).toMatch(/Access pattern 'b': `index` is 'nope'/);
    const report = AccessPatternReport.markdown('t', SynthesizedTableDefinition.of(table), [{ name: 'b', index: 'nope', partitionKey: 'y' }]);
    expect(report).toContain('| b | nope | Query | `y = :y` | (not declared) | ALL | INVALID |');
    expect(report).toContain('## Errors');
    expect(report).toContain('pattern_b(["b"]) -.->|INVALID| index_nope');
  });
});

describe('addAccessPattern props', () => {
  const add = (props: any, before: AccessPatternProps[] = []) => () => {
    const { table } = tasks();
    before.forEach((p) => table.addAccessPattern(p));
    table.addAccessPattern(props);
  };

  test('fails without props', () => {
    expect(add(undefined)).toThrow(/`addAccessPattern\(\)` received no props: pass at least `\{ name, partitionKey \}`/);
  });

  test('fails on a bad name', () => {
    expect(add({ name: 'get task', partitionKey: 'PK' })).toThrow(/`name` is "get task": an access pattern name is 1 to 64 letters/);
  });

  test('fails on a duplicate name', () => {
    expect(add(GET_TASK, [GET_TASK])).toThrow(/`name` is 'getTask', which this table already declares/);
  });

  test('fails without a partition key', () => {
    expect(add({ name: 'scanAll' })).toThrow(/`partitionKey` of access pattern 'scanAll' is undefined: name the partition key attribute .* \(a read without one is a Scan\)/);
  });

  test('fails on a sort key without a condition', () => {
    expect(add({ name: 'x', partitionKey: 'PK', sortKey: 'SK' })).toThrow(/`sortKey` of access pattern 'x' is 'SK' but there is no `sortKeyCondition`/);
  });

  test('fails on a bad shard count, result size or item size', () => {
    expect(add({ name: 'x', partitionKey: 'PK', partitionKeyShards: 0 })).toThrow(/`partitionKeyShards` of access pattern 'x' is 0: it must be a whole number from 1 to 1000/);
    expect(add({ name: 'x', partitionKey: 'PK', typicalResultItems: 2.5 })).toThrow(/`typicalResultItems` of access pattern 'x' is 2.5/);
    expect(add({ name: 'x', partitionKey: 'PK', typicalItemSizeBytes: 500 * 1024 })).toThrow(/`typicalItemSizeBytes` of access pattern 'x' is 512000: an item is 0 to 409,600 bytes/);
  });

  test('fails on a returned attribute listed twice or empty', () => {
    expect(add({ name: 'x', partitionKey: 'PK', returns: ['a', 'a'] })).toThrow(/`returns` of access pattern 'x' lists 'a' twice/);
    expect(add({ name: 'x', partitionKey: 'PK', returns: [''] })).toThrow(/`returns` of access pattern 'x' lists "": list attribute names as non-empty strings/);
  });

  test('fails on an empty sort key condition value', () => {
    expect(() => SortKeyCondition.beginsWith('')).toThrow(/`SortKeyCondition` begins_with received "": give the value as a non-empty string/);
  });
});
