/**
 * The rule pack on a multi-account replica: an `AWS::DynamoDB::GlobalTable` with `GlobalTableSourceArn`,
 * whose key schema and indexes are its source table's and not in its template.
 */
import { Stack } from 'aws-cdk-lib';
import { TableV2, TableV2MultiAccountReplica } from 'aws-cdk-lib/aws-dynamodb';
import { allFindings, findings, includedStack, ruleFindings } from './util';
import { BlueprintMultiAccountReplica, rules } from '../../src';
import { testApp } from '../util';

const REPLICA_ENV = { account: '222222222222', region: 'eu-west-1' };
const SOURCE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders';

function replicaStack(): { stack: Stack; source: ReturnType<typeof TableV2.fromTableArn> } {
  const stack = new Stack(testApp(), 'Replica', { env: REPLICA_ENV });
  return { stack, source: TableV2.fromTableArn(stack, 'Source', SOURCE_ARN) };
}

const DYNAMODB_RULES = Object.values(rules.dynamodb);

describe('aws-cdk-lib\'s TableV2MultiAccountReplica', () => {
  test('Noncompliance: no PITR, no deletion protection, no customer-managed key on the replica, and no rule throws', () => {
    const { stack, source } = replicaStack();
    new TableV2MultiAccountReplica(stack, 'Replica', { replicaSourceTable: source });
    expect(findings(stack, 'DDB1')).toEqual(['DynamoDBBlueprint-DDB1[Replica::eu-west-1]']);
    expect(findings(stack, 'DDB3')).toEqual(['DynamoDBBlueprint-DDB3[Replica::eu-west-1]']);
    expect(findings(stack, 'DDB4')).toEqual(['DynamoDBBlueprint-DDB4[Replica::eu-west-1]']);
    for (const rule of DYNAMODB_RULES) {
      expect({ rule: rule.name, findings: ruleFindings(stack, rule).filter((f) => f.startsWith('threw')) }).toEqual({ rule: rule.name, findings: [] });
    }
  });

  test('the key and index rules are not applicable: the template has none of them', () => {
    const { stack, source } = replicaStack();
    new TableV2MultiAccountReplica(stack, 'Replica', { replicaSourceTable: source });
    for (const rule of [rules.dynamodb.DynamoDBPartitionKeyCardinality, rules.dynamodb.DynamoDBNoLSI, rules.dynamodb.DynamoDBGSICount,
      rules.dynamodb.DynamoDBGSIProjectionNotAll, rules.dynamodb.DynamoDBAutoScaling, rules.dynamodb.DynamoDBGSIWriteCapacity,
      rules.dynamodb.DynamoDBReplicaStreamNewAndOldImages, rules.dynamodb.DynamoDBTTLAttributeNumber]) {
      expect({ rule: rule.name, findings: ruleFindings(stack, rule) }).toEqual({ rule: rule.name, findings: [] });
    }
  });
});

describe('BlueprintMultiAccountReplica', () => {
  test('Compliance: the replica from its source alone has no finding of the pack', () => {
    const { stack, source } = replicaStack();
    new BlueprintMultiAccountReplica(stack, 'Replica', { replicaSourceTable: source });
    expect(allFindings(stack)).toEqual([]);
    for (let i = 1; i <= 13; i++) {
      expect(findings(stack, `DDB${i}`)).toEqual([]);
    }
  });

  test('Noncompliance: protections turned off are found on the replica', () => {
    const { stack, source } = replicaStack();
    new BlueprintMultiAccountReplica(stack, 'Replica', {
      replicaSourceTable: source,
      deletionProtection: false,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
    });
    expect(findings(stack, 'DDB1')).toEqual(['DynamoDBBlueprint-DDB1[Replica::eu-west-1]']);
    expect(findings(stack, 'DDB3')).toEqual(['DynamoDBBlueprint-DDB3[Replica::eu-west-1]']);
    expect(findings(stack, 'DDB4')).toEqual([]);
  });
});

describe('a hand-written replica-only template', () => {
  const replica = (replicaProps: Record<string, unknown>, props: Record<string, unknown> = {}) => includedStack({
    Replica: {
      Type: 'AWS::DynamoDB::GlobalTable',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        GlobalTableSourceArn: SOURCE_ARN,
        TableName: 'orders',
        Replicas: [{ Region: 'eu-west-1', ...replicaProps }],
        ...props,
      },
    },
  });

  test('Compliance: PITR, deletion protection and a key on the replica', () => {
    const stack = replica({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { KMSMasterKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/1' },
    });
    expect(['DDB1', 'DDB2', 'DDB3', 'DDB4', 'DDB5'].flatMap((r) => findings(stack, r))).toEqual([]);
  });

  test('Noncompliance: a table-level SSESpecification without KMS makes the replica key ignored', () => {
    const stack = replica({ SSESpecification: { KMSMasterKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/1' } }, { SSESpecification: { SSEEnabled: false } });
    expect(findings(stack, 'DDB4')).toEqual(['DynamoDBBlueprint-DDB4[Replica::eu-west-1]']);
  });

  test('a time to live in the template is not judged without the source\'s attribute definitions', () => {
    const stack = replica({}, { TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
    expect(ruleFindings(stack, rules.dynamodb.DynamoDBTTLAttributeNumber)).toEqual([]);
  });
});
