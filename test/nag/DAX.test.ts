import { CfnCluster } from 'aws-cdk-lib/aws-dax';
import { findings } from './util';
import { testStack } from '../util';

const BASE = { iamRoleArn: 'arn:aws:iam::123456789012:role/dax', nodeType: 'dax.r5.large' };

describe('DAX clusters (DAX1-DAX3)', () => {
  test('Noncompliance 1: a one-node cluster without encryption at rest or TLS', () => {
    const stack = testStack();
    new CfnCluster(stack, 'Cache', { ...BASE, replicationFactor: 1 });
    expect(['DAX1', 'DAX2', 'DAX3'].flatMap((r) => findings(stack, r))).toEqual(['DynamoDBBlueprint-DAX1', 'DynamoDBBlueprint-DAX2', 'DynamoDBBlueprint-DAX3']);
  });
  test('Noncompliance 2: encryption at rest explicitly off, endpoint NONE', () => {
    const stack = testStack();
    new CfnCluster(stack, 'Cache', { ...BASE, replicationFactor: 3, sseSpecification: { sseEnabled: false }, clusterEndpointEncryptionType: 'NONE' });
    expect(['DAX1', 'DAX2', 'DAX3'].flatMap((r) => findings(stack, r))).toEqual(['DynamoDBBlueprint-DAX1', 'DynamoDBBlueprint-DAX2']);
  });
  test('Compliance', () => {
    const stack = testStack();
    new CfnCluster(stack, 'Cache', { ...BASE, replicationFactor: 3, sseSpecification: { sseEnabled: true }, clusterEndpointEncryptionType: 'TLS' });
    expect(['DAX1', 'DAX2', 'DAX3'].flatMap((r) => findings(stack, r))).toEqual([]);
  });
});
