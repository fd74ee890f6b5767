import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, ProjectionType } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlueprintTable, IndexProjection, IndexWriteAmplification, IndexWriteCost, ItemWriteKind, SynthesizedTableDefinition, TableDefinition,
  TableDefinitions, WriteAmplification,
} from '../../src';
import { testStack } from '../util';

/** A task tracker: one GSI per projection type, and an LSI. */
function taskTable(): TableDefinition {
  const stack = testStack();
  const table = new BlueprintTable(stack, 'Tasks', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    blueprintGlobalSecondaryIndexes: [
      { indexName: 'byAssignee', partitionKey: { name: 'assigneeId', type: AttributeType.STRING }, sortKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.include(['title', 'dueDate']) },
      { indexName: 'everything', partitionKey: { name: 'projectId', type: AttributeType.STRING }, projection: IndexProjection.all() },
      { indexName: 'keys', partitionKey: { name: 'dueDate', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
    ],
    blueprintLocalSecondaryIndexes: [
      { indexName: 'byPriority', sortKey: { name: 'priority', type: AttributeType.NUMBER }, projection: IndexProjection.keysOnly() },
    ],
  });
  return SynthesizedTableDefinition.of(table);
}

const TASK = {
  PK: 'TASK#1',
  SK: 'TASK#1',
  assigneeId: 'USER#7',
  status: 'OPEN',
  projectId: 'PROJ#3',
  dueDate: '2026-12-01',
  priority: 2,
  title: 'Write the report',
  body: 'x'.repeat(2000),
};

const byName = (result: WriteAmplification): Record<string, IndexWriteCost> => Object.fromEntries(result.costs.map((c) => [c.indexName, c]));

describe('SynthesizedTableDefinition', () => {
  test('reads a BlueprintTable through its synthesized L1, indexes included', () => {
    const table = taskTable();
    expect(table.resourceType).toBe('AWS::DynamoDB::GlobalTable');
    expect(table.globalSecondaryIndexes.map((i) => `${i.indexName}:${i.projectionType}`)).toEqual(['byAssignee:INCLUDE', 'everything:ALL', 'keys:KEYS_ONLY']);
    expect(table.localSecondaryIndexes.map((i) => i.indexName)).toEqual(['byPriority']);
  });

  test('reads a Table (AWS::DynamoDB::Table) the same way', () => {
    const stack = testStack();
    const table = new Table(stack, 'T', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    table.addGlobalSecondaryIndex({ indexName: 'g', partitionKey: { name: 'x', type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY });
    const definition = SynthesizedTableDefinition.of(table);
    expect(definition.resourceType).toBe('AWS::DynamoDB::Table');
    expect(definition.logicalId).toBe(Object.keys(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0]);
    expect(definition.globalSecondaryIndexes[0].indexName).toBe('g');
  });

  test('fails on a construct that is not a table', () => {
    const stack = testStack();
    expect(() => SynthesizedTableDefinition.of(stack)).toThrow(/`table` is TestStack, which is not a DynamoDB table construct/);
  });
});

describe('IndexWriteAmplification', () => {
  test('an insert writes the table and every index, each by its own entry size', () => {
    const result = IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT, item: TASK });
    const costs = byName(result);
    // Name + value bytes: PK 2+6, SK 2+6, assigneeId 10+6, status 6+4, projectId 9+6, dueDate 7+10,
    // priority 8+2 (a number: 1 byte per two significant digits, plus 1), title 5+16, body 4+2,000 = 2,109 bytes: 3 WCU.
    expect(costs['(table)']).toMatchObject({ entrySizeBytes: 2109, writeCapacityUnits: 3 });
    // ALL copies the whole item; INCLUDE and KEYS_ONLY entries are far below 1 KB.
    expect(costs.everything).toMatchObject({ entrySizeBytes: 2109, writeCapacityUnits: 3 });
    // byAssignee: PK, SK, its keys assigneeId and status, and title and dueDate = 8+8+16+10+21+17 = 80 bytes.
    expect(costs.byAssignee).toMatchObject({ entrySizeBytes: 80, writeCapacityUnits: 1 });
    expect(costs.keys.writeCapacityUnits).toBe(1);
    expect(costs.byPriority).toMatchObject({ scope: 'LOCAL', writes: 1, writeCapacityUnits: 1 });
    expect(result.totalWriteCapacityUnits).toBe(3 + 1 + 3 + 1 + 1);
    expect(result.factor).toBeCloseTo(9 / 3);
  });

  test('an update that changes an index key is a delete plus a put in that index', () => {
    const result = IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.UPDATE, item: TASK, changedAttributes: ['status'] });
    const costs = byName(result);
    expect(costs.byAssignee).toMatchObject({ writes: 2, writeCapacityUnits: 2 });
    expect(costs.byAssignee.reason).toMatch(/changes the index key status: a delete of the old entry plus a put of the new one/);
    // ALL projects status as a non-key attribute: one write of the whole item.
    expect(costs.everything).toMatchObject({ writes: 1, writeCapacityUnits: 3 });
    expect(costs.keys).toMatchObject({ writes: 0, writeCapacityUnits: 0 });
    expect(costs.byPriority).toMatchObject({ writes: 0 });
  });

  test('an update of a projected attribute writes the index once; of an unprojected one, not at all', () => {
    const title = byName(IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.UPDATE, item: TASK, changedAttributes: ['title'] }));
    expect(title.byAssignee).toMatchObject({ writes: 1, writeCapacityUnits: 1 });
    const body = byName(IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.UPDATE, item: TASK, changedAttributes: ['body'] }));
    expect(body.byAssignee).toMatchObject({ writes: 0, writeCapacityUnits: 0 });
    expect(body.everything).toMatchObject({ writes: 1 });
  });

  test('an item without an index key is not written to that sparse index', () => {
    const { assigneeId: _unassigned, ...unassigned } = TASK;
    const costs = byName(IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT, item: unassigned }));
    expect(costs.byAssignee).toMatchObject({ writes: 0, writeCapacityUnits: 0 });
    expect(costs.byAssignee.reason).toMatch(/no assigneeId, so it is not in this sparse index/);
  });

  test('a delete removes the entry from every index', () => {
    const result = IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.DELETE, item: TASK });
    expect(result.costs.every((c) => c.writes === 1)).toBe(true);
  });

  test('from a size alone: ALL uses the item size, KEYS_ONLY 1 KB, INCLUDE the item size as an upper bound unless given', () => {
    const costs = byName(IndexWriteAmplification.forTable(taskTable(), {
      kind: ItemWriteKind.INSERT,
      itemSizeBytes: 5000,
      indexEntrySizes: [{ indexName: 'byPriority', sizeBytes: 100 }],
    }));
    expect(costs.everything.writeCapacityUnits).toBe(5);
    expect(costs.keys.writeCapacityUnits).toBe(1);
    expect(costs.byAssignee.writeCapacityUnits).toBe(5);
    expect(costs.byAssignee.reason).toMatch(/upper bound/);
    expect(costs.byPriority.entrySizeBytes).toBe(100);
  });

  test('works on a synthesized template', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'T', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byX', partitionKey: { name: 'x', type: AttributeType.STRING }, projection: IndexProjection.all() }],
    });
    const [table] = TableDefinitions.fromTemplate(Template.fromStack(stack).toJSON());
    const result = IndexWriteAmplification.forTable(table, { kind: ItemWriteKind.INSERT, itemSizeBytes: 2048 });
    expect(result.totalWriteCapacityUnits).toBe(4);
  });

  test('fails without an item or a size, or with both', () => {
    expect(() => IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT })).toThrow(/`item` or `itemSizeBytes` is required/);
    expect(() => IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT, item: TASK, itemSizeBytes: 1 })).toThrow(/`item` and `itemSizeBytes` are both set/);
  });

  test('fails on an unknown kind', () => {
    expect(() => IndexWriteAmplification.forTable(taskTable(), { kind: 'UPSERT' as ItemWriteKind, itemSizeBytes: 1 })).toThrow(/`kind` is "UPSERT": it must be INSERT, UPDATE or DELETE/);
  });

  test('fails on changed attributes for an insert', () => {
    expect(() => IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT, itemSizeBytes: 1, changedAttributes: ['x'] })).toThrow(/`changedAttributes` is set for a INSERT/);
  });

  test('fails on an entry size for an unknown index', () => {
    expect(() => IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT, itemSizeBytes: 1, indexEntrySizes: [{ indexName: 'nope', sizeBytes: 1 }] }))
      .toThrow(/`indexEntrySizes` names 'nope', which is not an index of .* \(byAssignee, everything, keys, byPriority\)/);
  });

  test('fails on an item over 400 KB', () => {
    expect(() => IndexWriteAmplification.forTable(taskTable(), { kind: ItemWriteKind.INSERT, itemSizeBytes: 400 * 1024 + 1 })).toThrow(/at most 400 KB/);
  });
});
