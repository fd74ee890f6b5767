import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { kinds, migrate } from './helpers';
import { BlueprintMultiAccountReplica, BlueprintMultiAccountReplicaProps } from '../../src';

// The test stack is in 123456789012 / us-east-1: the source is in another account and region.
const SOURCE_ARN = 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders';

function replica(stack: Stack, props: Partial<BlueprintMultiAccountReplicaProps> = {}, sourceArn = SOURCE_ARN): BlueprintMultiAccountReplica {
  return new BlueprintMultiAccountReplica(stack, 'Replica', { replicaSourceTable: TableV2.fromTableArn(stack, 'Source', sourceArn), ...props });
}

describe('a multi-account replica', () => {
  test('no change: no finding', () => {
    expect(kinds(migrate((s) => replica(s), (s) => replica(s)))).toEqual([]);
  });

  test('another source of the same name: an error, not a replacement (CloudFormation updates in place what DynamoDB sets only at creation)', () => {
    const report = migrate((s) => replica(s), (s) => replica(s, {}, 'arn:aws:dynamodb:eu-west-1:333333333333:table/orders'));
    expect(kinds(report)).toEqual(['ERROR GLOBAL_TABLE_SOURCE_CHANGED']);
    expect(report.findings[0].change).toContain(':111111111111:table/orders -> ');
    expect(report.findings[0].change).toContain(':333333333333:table/orders');
    expect(report.findings[0].why).toContain('CreateTable');
  });

  test('a source of another name: the replica takes its name, and a new name replaces the table', () => {
    const report = migrate((s) => replica(s), (s) => replica(s, {}, 'arn:aws:dynamodb:eu-west-1:111111111111:table/orders-v2'));
    expect(kinds(report)).toEqual(['ERROR TABLE_NAME_CHANGED']);
  });

  test('its protections are checked like any replica\'s', () => {
    const report = migrate((s) => replica(s), (s) => replica(s, {
      deletionProtection: false,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      removalPolicy: RemovalPolicy.DESTROY,
    }));
    expect(kinds(report)).toEqual(['ERROR DELETION_PROTECTION_DISABLED', 'ERROR POINT_IN_TIME_RECOVERY_DISABLED', 'ERROR RETAIN_POLICY_REMOVED']);
    expect(report.findings[0].change).toBe('deletion protection on -> off in us-east-1');
  });

  test('a table of its own turned into a replica under the same logical id', () => {
    const report = migrate(
      (s) => { const r = replica(s); (r.node.defaultChild as any).addPropertyDeletionOverride('GlobalTableSourceArn'); (r.node.defaultChild as any).addPropertyOverride('KeySchema', [{ AttributeName: 'PK', KeyType: 'HASH' }]); },
      (s) => replica(s),
    );
    expect(kinds(report)).toContain('ERROR GLOBAL_TABLE_SOURCE_CHANGED');
    expect(report.findings.find((f) => f.kind === 'GLOBAL_TABLE_SOURCE_CHANGED')!.change).toMatch(/^multi-account replica source none \(a table of its own\) -> /);
  });
});
