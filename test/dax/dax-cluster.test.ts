import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnCluster } from 'aws-cdk-lib/aws-dax';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { Peer, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BlueprintTable, DaxCluster, TableAccess, TenantKey } from '../../src';
import { testStack } from '../util';

function setup(maxAzs = 3) {
  const stack = testStack();
  const vpc = new Vpc(stack, 'Vpc', { maxAzs, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }] });
  const table = new BlueprintTable(stack, 'Orders', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
  return { stack, vpc, table };
}
const getAtt = (stack: Stack, c: any, attr = 'Arn') => ({ 'Fn::GetAtt': [stack.getLogicalId(c.node.defaultChild ?? c), attr] });

describe('DaxCluster defaults', () => {
  const { stack, vpc, table } = setup();
  const cache = new DaxCluster(stack, 'Cache', { table, vpc });
  const template = Template.fromStack(stack);

  test('three r5.large nodes in three zones, encrypted at rest, TLS endpoint', () => {
    template.hasResourceProperties('AWS::DAX::Cluster', {
      NodeType: 'dax.r5.large',
      ReplicationFactor: 3,
      AvailabilityZones: ['dummy1a', 'dummy1b', 'dummy1c'],
      SSESpecification: { SSEEnabled: true },
      ClusterEndpointEncryptionType: 'TLS',
      IAMRoleARN: getAtt(stack, cache.role),
      SubnetGroupName: { Ref: stack.getLogicalId(cache.subnetGroup) },
    });
  });

  test('a subnet group over the isolated subnets and a security group with no inbound rules or egress', () => {
    template.hasResourceProperties('AWS::DAX::SubnetGroup', { SubnetIds: vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)) });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'DAX cluster TestStack/Cache: TLS clients on port 9111',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('the role trusts DAX and its managed policy touches only the table, without Scan', () => {
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'dax.amazonaws.com' } })] } });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const tableArn = getAtt(stack, table);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], Resource: tableArn },
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'] }),
          { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: tableArn },
        ],
      },
    });
  });

  test('passes the AwsSolutions DAX rule (DDB4), which flags a cluster without encryption at rest', () => {
    const ddb4 = (scope: Stack) => new AwsSolutionsChecks().validateScope(scope).violations
      .filter((v) => v.ruleName === 'AwsSolutions-DDB4').flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    expect(ddb4(stack)).toEqual([]);
    const bare = testStack();
    new CfnCluster(bare, 'Bare', { iamRoleArn: 'arn:aws:iam::123456789012:role/dax', nodeType: 'dax.r5.large', replicationFactor: 3 });
    expect(ddb4(bare)).toEqual(['TestStack/Bare']);
  });
});

describe('DaxCluster overrides', () => {
  test('node type, five nodes spread over three zones, Scan, name, window, client grants and ingress', () => {
    const { stack, vpc, table } = setup();
    const cache = new DaxCluster(stack, 'Cache', {
      table, vpc, nodeType: 'dax.t3.small', replicationFactor: 5, allowScan: true, clusterName: 'orders-cache', preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
    });
    const client = new Role(stack, 'Client', { assumedBy: new AccountRootPrincipal() });
    cache.grantReadWrite(client);
    cache.connections.allowDefaultPortFrom(Peer.ipv4('10.0.0.0/16'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DAX::Cluster', {
      NodeType: 'dax.t3.small',
      ReplicationFactor: 5,
      ClusterName: 'orders-cache',
      PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      AvailabilityZones: ['dummy1a', 'dummy1b', 'dummy1c', 'dummy1a', 'dummy1b'],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:Scan']) })]) } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['dax:GetItem', 'dax:BatchGetItem', 'dax:Query', 'dax:ConditionCheckItem', 'dax:PutItem', 'dax:UpdateItem', 'dax:DeleteItem', 'dax:BatchWriteItem'], Resource: getAtt(stack, cache.cluster) }] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 9111, ToPort: 9111 })] });
    // The port users open by hand, e.g. for a security group they pass in.
    expect(DaxCluster.TLS_PORT).toBe(9111);
  });

  test('one node warns that it cannot span zones', () => {
    const { stack, vpc, table } = setup(1);
    new DaxCluster(stack, 'Cache', { table, vpc, replicationFactor: 1 });
    Annotations.fromStack(stack).hasWarning('/TestStack/Cache', Match.stringLikeRegexp('1 node\\(s\\): it cannot span three availability zones'));
  });

  test('warns in front of a multi-tenant table, since DAX does not evaluate LeadingKeys', () => {
    const { stack, vpc, table } = setup();
    TableAccess.pointReads(table, { tenantKey: TenantKey.fromPrincipalTag('tenantId') });
    new DaxCluster(stack, 'Cache', { table, vpc });
    Annotations.fromStack(stack).hasWarning('/TestStack/Cache', Match.stringLikeRegexp('DAX does not evaluate dynamodb:LeadingKeys'));
  });

  describe('fails', () => {
    test('fails with 0 or 12 nodes', () => {
      const { stack, vpc, table } = setup();
      expect(() => new DaxCluster(stack, 'A', { table, vpc, replicationFactor: 0 })).toThrow(/`replicationFactor` is 0: a DAX cluster has 1 to 11 nodes/);
      expect(() => new DaxCluster(stack, 'B', { table, vpc, replicationFactor: 12 })).toThrow(/`replicationFactor` is 12/);
    });
    test('fails with subnets in fewer than three zones', () => {
      const { stack, vpc, table } = setup(2);
      expect(() => new DaxCluster(stack, 'A', { table, vpc })).toThrow(/`vpcSubnets` selects subnets in 2 availability zone\(s\) \(dummy1a, dummy1b\): 3 nodes need subnets in 3/);
    });
    test('fails with a bad node type or cluster name', () => {
      const { stack, vpc, table } = setup();
      expect(() => new DaxCluster(stack, 'A', { table, vpc, nodeType: 'r5.large' })).toThrow(/`nodeType` is "r5.large"/);
      expect(() => new DaxCluster(stack, 'B', { table, vpc, clusterName: 'Orders_Cache' })).toThrow(/`clusterName` is "Orders_Cache"/);
    });
  });
});
