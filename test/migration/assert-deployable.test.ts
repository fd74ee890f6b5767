import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { AttributeType, TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';
import { orders } from './helpers';
import { BlueprintTable, IndexProjection, MigrationCheck } from '../../src';
import { TEST_ENV, testApp } from '../util';

// The last deployed template of the orders stack, committed the way a team would keep it:
// the table with its byStatus index.
const DEPLOYED = path.join(__dirname, 'deployed', 'OrdersStack.template.json');

const byStatus = { indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.include(['total']) };
const byCity = { indexName: 'byCity', partitionKey: { name: 'city', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() };
const byDay = { indexName: 'byDay', partitionKey: { name: 'day', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() };

function ordersStack(build: (stack: Stack) => BlueprintTable): Stack {
  const stack = new Stack(testApp(), 'OrdersStack', { env: TEST_ENV });
  build(stack);
  return stack;
}

describe('MigrationCheck.assertDeployable', () => {
  test('passes when the stack adds one GSI over the deployed template', () => {
    const stack = ordersStack((s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus, byCity] }));
    expect(() => MigrationCheck.assertDeployable(stack, DEPLOYED)).not.toThrow();
  });

  test('throws with every finding and the plan when the stack adds two GSIs and drops a protection', () => {
    const stack = ordersStack((s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus, byCity, byDay], deletionProtection: false }));
    let message = '';
    try {
      MigrationCheck.assertDeployable(stack, DEPLOYED);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`OrdersStack cannot be deployed safely over ${DEPLOYED}:`);
    expect(message).toContain('1 table(s) in 1 stack(s) compared: 2 error(s), 0 warning(s).');
    expect(message).toMatch(/ERROR TOO_MANY_GLOBAL_INDEX_CHANGES OrdersStack\/Orders[0-9A-F]{8}/);
    expect(message).toMatch(/ERROR DELETION_PROTECTION_DISABLED OrdersStack\/Orders[0-9A-F]{8}/);
    expect(message).toMatch(/Deployment 1:\n {4}OrdersStack\/Orders[0-9A-F]{8}: create global secondary index byCity\n {2}Deployment 2:/);
  });

  test('lets warnings through unless failOnWarnings is set', () => {
    const stack = ordersStack((s) => orders(s, { blueprintGlobalSecondaryIndexes: [byStatus], encryption: TableEncryptionV2.awsManagedKey() }));
    expect(() => MigrationCheck.assertDeployable(stack, DEPLOYED)).not.toThrow();
    expect(() => MigrationCheck.assertDeployable(stack, DEPLOYED, { failOnWarnings: true })).toThrow(/WARNING ENCRYPTION_KEY_CHANGED/);
  });

  test('fails when the deployed template is missing', () => {
    const stack = ordersStack((s) => orders(s));
    expect(() => MigrationCheck.assertDeployable(stack, path.join(__dirname, 'deployed', 'Missing.template.json')))
      .toThrow(/^`templatePath` is '.*Missing\.template\.json', which does not exist: commit the last deployed template of OrdersStack there/);
  });
});
