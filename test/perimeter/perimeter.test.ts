import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DynamoDBGatewayEndpoint, TableAccess, TableDataEvents } from '../../src';
import { simulate, StatementJson, withLiteralArns } from '../../tools/iam-simulator';
import { testStack } from '../util';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';
const ENDPOINT = 'vpce-0a1b2c3d4e5f60718';

function setup() {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const orders = new TableV2(stack, 'Orders', { tableName: 'Orders', partitionKey: { name: 'PK', type: AttributeType.STRING } });
  const other = new TableV2(stack, 'Other', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
  return { stack, vpc, orders, other };
}
const id = (stack: Stack, c: { node: any }) => stack.getLogicalId(c.node.defaultChild as CfnElement);

describe('DynamoDBGatewayEndpoint', () => {
  test('a gateway endpoint on the VPC\'s route tables whose policy names only the served tables and their indexes', () => {
    const { stack, vpc, orders } = setup();
    new DynamoDBGatewayEndpoint(stack, 'DynamoDB', { vpc, tables: [orders] });
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-east-1:123456789012:table/Orders${suffix}`]] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
      RouteTableIds: Match.anyValue(),
      PolicyDocument: {
        Statement: [{
          Sid: 'ServedTablesOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable']),
          Resource: [arn(''), arn('/index/*')],
        }],
      },
    });
  });

  test('the endpoint policy, as synthesized: served tables and their indexes pass, other tables and other actions do not (judged by the simulator)', async () => {
    const { stack, vpc, orders } = setup();
    const endpoint = new DynamoDBGatewayEndpoint(stack, 'DynamoDB', { vpc, tables: [orders] });
    const endpoints = Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint');
    const policy: StatementJson[] = withLiteralArns(endpoints[id(stack, endpoint.endpoint)].Properties.PolicyDocument.Statement, {}, { 'AWS::Partition': 'aws' });
    // A caller whose own policy allows everything: only the endpoint policy can refuse.
    const admin = [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }];
    const through = (action: string, resource: string) => simulate(admin, { action, resource, sourceVpce: ENDPOINT }, undefined, policy);
    expect(await through('dynamodb:GetItem', TABLE)).toBe('Allowed');
    expect(await through('dynamodb:PutItem', TABLE)).toBe('Allowed');
    expect(await through('dynamodb:DescribeTable', TABLE)).toBe('Allowed');
    expect(await through('dynamodb:Query', `${TABLE}/index/ByCustomer`)).toBe('Allowed');
    expect(await through('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/Other')).toBe('ImplicitlyDenied');
    // `Orders` is a prefix of this name, but the policy names the table, not a prefix.
    expect(await through('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/OrdersArchive')).toBe('ImplicitlyDenied');
    expect(await through('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:999999999999:table/Orders')).toBe('ImplicitlyDenied');
    expect(await through('dynamodb:DeleteTable', TABLE)).toBe('ImplicitlyDenied');
    expect(await through('dynamodb:UpdateTable', TABLE)).toBe('ImplicitlyDenied');
    expect(await through('dynamodb:GetRecords', `${TABLE}/stream/2026-12-07T00:00:00.000`)).toBe('ImplicitlyDenied');
    // The same caller outside the endpoint is not subject to its policy.
    expect(await simulate(admin, { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Other' })).toBe('Allowed');
  });

  test('requireEndpoint: the table refuses data actions that do not come through the endpoint (judged by the simulator)', async () => {
    const { stack, vpc, orders } = setup();
    const endpoint = new DynamoDBGatewayEndpoint(stack, 'DynamoDB', { vpc, tables: [orders] });
    endpoint.requireEndpoint(orders);
    const replicas = Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable')[id(stack, orders)].Properties.Replicas;
    const endpointId = id(stack, endpoint.endpoint);
    const resourcePolicy: StatementJson[] = withLiteralArns(replicas[0].ResourcePolicy.PolicyDocument.Statement, {}, { [endpointId]: ENDPOINT });
    // The resource policy's `*` is the table it is attached to.
    const onTable = resourcePolicy.map((s) => ({ ...s, Resource: TABLE }));
    const identity = [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:DescribeTable'], Resource: TABLE }];
    const get = { action: 'dynamodb:GetItem', resource: TABLE };
    expect(await simulate(identity, { ...get, sourceVpce: ENDPOINT }, onTable)).toBe('Allowed');
    expect(await simulate(identity, { ...get, sourceVpce: 'vpce-0ffffffffffffffff' }, onTable)).toBe('ExplicitlyDenied');
    expect(await simulate(identity, get, onTable)).toBe('ExplicitlyDenied');
    // Control-plane reads are not refused: the console and CloudFormation still describe the table.
    expect(await simulate(identity, { action: 'dynamodb:DescribeTable', resource: TABLE }, onTable)).toBe('Allowed');
  });

  test('TableAccess sourceVpce: the grant holds only through the endpoint (judged by the simulator)', async () => {
    const { stack, vpc, orders } = setup();
    const endpoint = new DynamoDBGatewayEndpoint(stack, 'DynamoDB', { vpc, tables: [orders] });
    const statements = TableAccess.pointReads(orders, { sourceVpce: endpoint.vpcEndpointId }).statements()
      .map((s) => withLiteralArns(stack.resolve(s.toStatementJson()), { [id(stack, orders)]: TABLE }, { [id(stack, endpoint.endpoint)]: ENDPOINT }))
      .filter((s: any) => [s.Action].flat().every((a: string) => a.startsWith('dynamodb:')));
    expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:SourceVpce': ENDPOINT } });
    const get = { action: 'dynamodb:GetItem', resource: TABLE };
    expect(await simulate(statements, { ...get, sourceVpce: ENDPOINT })).toBe('Allowed');
    expect(await simulate(statements, { ...get, sourceVpce: 'vpce-0ffffffffffffffff' })).toBe('ImplicitlyDenied');
    expect(await simulate(statements, get)).toBe('ImplicitlyDenied');
  });

  test('fails to require the endpoint on a table it does not serve, or on a table with a generated name (a dependency cycle)', () => {
    const { stack, vpc, orders, other } = setup();
    const endpoint = new DynamoDBGatewayEndpoint(stack, 'DynamoDB', { vpc, tables: [orders, other] });
    expect(() => endpoint.requireEndpoint(other)).toThrow(/`table` TestStack\/Other has a generated name: .* Give the table a `tableName`/);
    const served = new DynamoDBGatewayEndpoint(stack, 'OnlyOther', { vpc, tables: [other] });
    expect(() => served.requireEndpoint(orders)).toThrow(/`table` TestStack\/Orders is not one of the `tables` of TestStack\/OnlyOther/);
  });

  test('fails with no table, or an action that is not a DynamoDB action by name', () => {
    const { stack, vpc, orders } = setup();
    expect(() => new DynamoDBGatewayEndpoint(stack, 'A', { vpc, tables: [] })).toThrow(/`tables` is empty on TestStack\/A/);
    expect(() => new DynamoDBGatewayEndpoint(stack, 'B', { vpc, tables: [orders], actions: ['dynamodb:*'] })).toThrow(/`actions` on TestStack\/B is \["dynamodb:\*"\]/);
  });
});

describe('TableDataEvents', () => {
  test('a trail with an advanced selector on the tables\' data events, validated, encrypted, copied to an encrypted log group', () => {
    const { stack, orders, other } = setup();
    const audit = new TableDataEvents(stack, 'Audit', { tables: [orders, other], writesOnly: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [id(stack, audit.encryptionKey), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [id(stack, audit.logGroup), 'Arn'] },
      EventSelectors: Match.absent(),
      AdvancedEventSelectors: [{
        Name: 'DynamoDB data events of the chosen tables',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          { Field: 'resources.ARN', Equals: [{ 'Fn::GetAtt': [id(stack, orders), 'Arn'] }, { 'Fn::GetAtt': [id(stack, other), 'Arn'] }] },
          { Field: 'readOnly', Equals: ['false'] },
        ],
      }],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [id(stack, audit.encryptionKey), 'Arn'] } });
  });

  test('the log bucket: KMS, versioned, private, TLS only, access-logged to a second bucket, both expiring after the retention', () => {
    const { stack, orders } = setup();
    const audit = new TableDataEvents(stack, 'Audit', { tables: [orders], retention: Duration.days(400) });
    const template = Template.fromStack(stack);
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets).sort()).toEqual([id(stack, audit.accessLogsBucket), id(stack, audit.bucket)].sort());
    for (const bucket of Object.values(buckets) as any[]) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
        SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [id(stack, audit.encryptionKey), 'Arn'] },
      });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 400, Status: 'Enabled' });
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties.ObjectLockEnabled).toBe(true);
      expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    }
    // Log files are locked for the retention; S3 refuses a default retention on a server access log target.
    expect(buckets[id(stack, audit.bucket)].Properties.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } } });
    expect(buckets[id(stack, audit.accessLogsBucket)].Properties.ObjectLockConfiguration).toBeUndefined();
    expect(template.findResources('AWS::Lambda::Function')).toEqual({});
    expect(buckets[id(stack, audit.bucket)].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: id(stack, audit.accessLogsBucket) }, LogFilePrefix: 'trail-bucket/',
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[];
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  test('the key lets CloudTrail, S3 access logging and CloudWatch Logs use it, and passes CT.KMS.PR.3', () => {
    const { stack, orders } = setup();
    new TableDataEvents(stack, 'Audit', { tables: [orders] });
    const key = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as any;
    const sids = key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(['DenyGrantsNotForAwsResources', 'CloudTrailEncryptsLogFiles', 'CloudTrailDescribesKey', 'S3DeliversAccessLogs', 'CloudWatchLogsEncryptsLogGroup']));
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  test('serverAccessLogsBucket: the log bucket logs there, with a policy statement for S3 logging, and no access-log bucket is created', () => {
    const { stack, orders } = setup();
    const central = new s3.Bucket(stack, 'CentralAccessLogs', { enforceSSL: true });
    const audit = new TableDataEvents(stack, 'Audit', { tables: [orders], serverAccessLogsBucket: central });
    expect(audit.accessLogsBucket).toBe(central);
    expect(audit.node.tryFindChild('AccessLogs')).toBeUndefined();
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::S3::Bucket')).sort()).toEqual([id(stack, audit.bucket), id(stack, central)].sort());
    expect(template.findResources('AWS::S3::Bucket')[id(stack, audit.bucket)].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: id(stack, central) }, LogFilePrefix: 'trail-bucket/',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(stack, central) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'S3ServerAccessLogsPolicy',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id(stack, audit.bucket), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })]),
      },
    });
    // The key encrypts no access-log bucket: S3 logging gets nothing of it.
    const key = template.findResources('AWS::KMS::Key')[id(stack, audit.encryptionKey)] as any;
    expect(key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).not.toContain('S3DeliversAccessLogs');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('serverAccessLogsBucket'))).toEqual([]);
  });

  test('serverAccessLogsBucket imported: a warning says which statement its policy needs', () => {
    const { stack, orders } = setup();
    const central = s3.Bucket.fromBucketName(stack, 'Central', 'aws-controltower-s3-access-logs-123456789012-us-east-1');
    const audit = new TableDataEvents(stack, 'Audit', { tables: [orders], serverAccessLogsBucket: central });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Audit', Match.stringLikeRegexp('`serverAccessLogsBucket` on TestStack/Audit is imported.*logging\\.s3\\.amazonaws\\.com.*trail-bucket/\\*'));
    expect(warnings).toHaveLength(1);
    // The only bucket policy is the log bucket's own.
    expect(Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy')).map((p: any) => p.Properties.Bucket)).toEqual([{ Ref: id(stack, audit.bucket) }]);
  });

  test('fails with no table, or a retention CloudWatch Logs does not offer', () => {
    const { stack, orders } = setup();
    expect(() => new TableDataEvents(stack, 'A', { tables: [] })).toThrow(/`tables` is empty on TestStack\/A/);
    expect(() => new TableDataEvents(stack, 'B', { tables: [orders], retention: Duration.days(100) })).toThrow(/`retention` on TestStack\/B is 100 days: use one of .*365, 400/);
  });
});
