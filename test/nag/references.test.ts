import { findings, includedStack, ruleFindings, tableResource } from './util';
import { rules } from '../../src';

/**
 * Every reference form a template may use, for every rule that relates two resources. Each case is
 * checked through the rule alone (a neutral test pack) and through DynamoDBBlueprintChecks.
 */

const ACCOUNT = '123456789012';
const ORDERS = { ...tableResource({ TableName: 'orders', StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } }) };
/** A second table, so a form naming the wrong table is seen not to count. */
const OTHER = { ...tableResource({ TableName: 'other' }) };

/** The forms naming table `Orders` (TableName `orders`) by its ARN, or by its name where a name is expected. */
const TABLE_FORMS: Array<[string, unknown]> = [
  ['Ref', { Ref: 'Orders' }],
  ['Fn::GetAtt array', { 'Fn::GetAtt': ['Orders', 'Arn'] }],
  ['Fn::GetAtt string', { 'Fn::GetAtt': 'Orders.Arn' }],
  ['Fn::Sub ${X.Arn}', { 'Fn::Sub': '${Orders.Arn}/index/*' }],
  ['Fn::Sub ${X} in an ARN', { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}' }],
  ['Fn::Sub with the table name', { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders' }],
  ['Fn::Sub variable', { 'Fn::Sub': ['${TableArn}', { TableArn: { 'Fn::GetAtt': ['Orders', 'Arn'] } }] }],
  ['Fn::Join with Ref', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:dynamodb:us-east-1:${ACCOUNT}:table/`, { Ref: 'Orders' }]] }],
  ['Fn::Join with the table name', { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'dynamodb', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'table/orders']] }],
  ['literal ARN by TableName', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`],
  ['wildcard table ARN', 'arn:aws:dynamodb:*:*:table/ord*'],
];

/** Forms naming nothing of the template: a parameter, an import, another table. */
const UNRESOLVED_FORMS: Array<[string, unknown]> = [
  ['Fn::ImportValue', { 'Fn::ImportValue': 'shared-orders-arn' }],
  ['Ref to a parameter', { Ref: 'OrdersArn' }],
];
const PARAMETERS = { OrdersArn: { Type: 'String' } };

function policy(resource: unknown, extra: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::IAM::ManagedPolicy',
    Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:Scan', 'dynamodb:GetItem'], Resource: resource, ...extra }] } },
  };
}

/** Both ways of running one rule give the same findings. */
function both(resources: Record<string, unknown>, rule: any, suffix: string): string[] {
  const stack = includedStack(resources, PARAMETERS);
  const alone = ruleFindings(stack, rule);
  const inPack = findings(stack, suffix)
    .map((id) => (id === `DynamoDBBlueprint-${suffix}` ? '' : id.slice(`DynamoDBBlueprint-${suffix}[`.length, -1)));
  expect(inPack).toEqual(alone);
  return alone;
}

describe('IAMNoDynamoDBScan (IAM1)', () => {
  test.each(TABLE_FORMS)('Noncompliance: Scan on the table as %s', (_form, resource) => {
    expect(both({ Orders: ORDERS, Other: OTHER, Reader: policy(resource) }, rules.iam.IAMNoDynamoDBScan, 'IAM1')).toEqual(['Action::dynamodb:Scan']);
  });

  test.each(UNRESOLVED_FORMS)('Noncompliance: Scan on %s is reported as unresolved', (_form, resource) => {
    expect(both({ Orders: ORDERS, Reader: policy(resource) }, rules.iam.IAMNoDynamoDBScan, 'IAM1')).toEqual(['Unresolved::dynamodb:Scan']);
  });

  test('Noncompliance: NotAction that leaves Scan in, on the table', () => {
    const reader = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: ['dynamodb:Delete*'], Resource: { 'Fn::GetAtt': 'Orders.Arn' } }] } } };
    expect(both({ Orders: ORDERS, Reader: reader }, rules.iam.IAMNoDynamoDBScan, 'IAM1')).toEqual(['NotAction::dynamodb:Delete*']);
  });

  test.each([
    ['AmazonDynamoDBFullAccess', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonDynamoDBFullAccess']] }],
    ['AmazonDynamoDBReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'],
  ])('Noncompliance: a role attaching the AWS managed policy %s', (name, arn) => {
    const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] }, ManagedPolicyArns: [arn] } };
    expect(both({ Orders: ORDERS, App: role }, rules.iam.IAMNoDynamoDBScan, 'IAM1')).toEqual([`ManagedPolicy::${name}`]);
  });

  test('Compliance: Scan on another table\'s literal ARN of this template is reported, GetItem only is not; Scan on a queue is not', () => {
    const getOnly = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': 'Orders.Arn' } }] } } };
    const queue = { Type: 'AWS::SQS::Queue', Properties: {} };
    expect(both({ Orders: ORDERS, Queue: queue, Reader: getOnly, QueueReader: policy({ 'Fn::GetAtt': 'Queue.Arn' }) }, rules.iam.IAMNoDynamoDBScan, 'IAM1')).toEqual([]);
    const lambdaRole = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] }, ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole'] } };
    expect(both({ Orders: ORDERS, App: lambdaRole }, rules.iam.IAMNoDynamoDBScan, 'IAM1')).toEqual([]);
  });
});

describe('IAMMultiTenantLeadingKeys (IAM2)', () => {
  const tenants = { ...ORDERS, Metadata: { 'cdk-dynamodb-blueprints:multiTenant': true } };
  // The policy allows Scan, which names no key: without the Null check, ForAllValues would let it read every tenant.
  const leadingKeys = { Condition: { 'Null': { 'dynamodb:LeadingKeys': 'false' }, 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenantId}#*'] } } };

  test.each(TABLE_FORMS)('Noncompliance: data actions on the multi-tenant table as %s', (_form, resource) => {
    expect(both({ Orders: tenants, Other: OTHER, Reader: policy(resource) }, rules.iam.IAMMultiTenantLeadingKeys, 'IAM2')).toEqual(['Table::Orders']);
  });

  test.each(TABLE_FORMS)('Compliance: data actions on the table as %s, with a LeadingKeys condition', (_form, resource) => {
    expect(both({ Orders: tenants, Reader: policy(resource, leadingKeys) }, rules.iam.IAMMultiTenantLeadingKeys, 'IAM2')).toEqual([]);
  });

  test.each(UNRESOLVED_FORMS)('Noncompliance: data actions on %s is reported as unresolved', (_form, resource) => {
    expect(both({ Orders: tenants, Reader: policy(resource) }, rules.iam.IAMMultiTenantLeadingKeys, 'IAM2')).toEqual(['Unresolved']);
  });

  test('Compliance: the other table, by its literal ARN', () => {
    expect(both({ Orders: tenants, Other: OTHER, Reader: policy(`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/other`) }, rules.iam.IAMMultiTenantLeadingKeys, 'IAM2')).toEqual([]);
  });
});

describe('DynamoDBBackupCoverage (DDB5)', () => {
  const unprotected = tableResource({ TableName: 'orders' });
  const selection = (resource: unknown) => ({
    Type: 'AWS::Backup::BackupSelection',
    Properties: { BackupPlanId: 'plan-1', BackupSelection: { IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, SelectionName: 's', Resources: [resource] } },
  });

  test.each(TABLE_FORMS.filter(([form]) => form !== 'Ref'))('Compliance: a backup selection naming the table as %s', (_form, resource) => {
    expect(both({ Orders: unprotected, Selection: selection(resource) }, rules.dynamodb.DynamoDBBackupCoverage, 'DDB5')).toEqual([]);
  });

  test.each(UNRESOLVED_FORMS)('Noncompliance: a selection of %s is reported as unresolved, not as covering the table', (_form, resource) => {
    expect(both({ Orders: unprotected, Selection: selection(resource) }, rules.dynamodb.DynamoDBBackupCoverage, 'DDB5')).toEqual(['Unresolved::Selection']);
  });

  test('Noncompliance: a selection of another table, or of a wildcard that does not match the name', () => {
    expect(both({ Orders: unprotected, Other: OTHER, Selection: selection({ 'Fn::GetAtt': 'Other.Arn' }) }, rules.dynamodb.DynamoDBBackupCoverage, 'DDB5')).toEqual(['']);
    expect(both({ Orders: unprotected, Selection: selection('arn:aws:dynamodb:*:*:table/oth*') }, rules.dynamodb.DynamoDBBackupCoverage, 'DDB5')).toEqual(['']);
  });
});

describe('DynamoDBReplicaStreamNewAndOldImages (DDB12)', () => {
  const noStream = tableResource({ TableName: 'orders' });
  test.each([
    ['Ref', { Ref: 'Orders' }],
    ['Fn::Sub ${X}', { 'Fn::Sub': '${Orders}' }],
    ['Fn::Join with Ref', { 'Fn::Join': ['', [{ Ref: 'Orders' }]] }],
  ])('Noncompliance: a Table replicated by a custom resource naming it as %s, without a stream', (_form, tableName) => {
    const replica = { Type: 'Custom::DynamoDBReplica', Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:replica', TableName: tableName, Region: 'eu-west-1' } };
    expect(both({ Orders: noStream, Replica: replica }, rules.dynamodb.DynamoDBReplicaStreamNewAndOldImages, 'DDB12')).toEqual(['']);
  });
});

describe('KinesisTableStreamEncrypted (KDS1)', () => {
  const stream = { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'changes', ShardCount: 1 } };
  test.each([
    ['Fn::GetAtt array', { 'Fn::GetAtt': ['Changes', 'Arn'] }],
    ['Fn::GetAtt string', { 'Fn::GetAtt': 'Changes.Arn' }],
    ['Fn::Sub ${X.Arn}', { 'Fn::Sub': '${Changes.Arn}' }],
    ['Fn::Sub ${X} in an ARN', { 'Fn::Sub': 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${Changes}' }],
    ['Fn::Join with Ref', { 'Fn::Join': ['', [`arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/`, { Ref: 'Changes' }]] }],
    ['literal ARN by Name', `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/changes`],
  ])('Noncompliance: an unencrypted stream the table streams into, named as %s', (_form, arn) => {
    const table = tableResource({ KinesisStreamSpecification: { StreamArn: arn } });
    expect(both({ Orders: table, Changes: stream }, rules.kinesis.KinesisTableStreamEncrypted, 'KDS1')).toEqual(['']);
  });

  test('Compliance: the table streams into another stream', () => {
    const table = tableResource({ KinesisStreamSpecification: { StreamArn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/elsewhere` } });
    expect(both({ Orders: table, Changes: stream }, rules.kinesis.KinesisTableStreamEncrypted, 'KDS1')).toEqual([]);
  });
});

/** The forms naming the stream of table `Orders`. */
const STREAM_FORMS: Array<[string, unknown]> = [
  ['Fn::GetAtt array', { 'Fn::GetAtt': ['Orders', 'StreamArn'] }],
  ['Fn::GetAtt string', { 'Fn::GetAtt': 'Orders.StreamArn' }],
  ['Fn::Sub ${X.StreamArn}', { 'Fn::Sub': '${Orders.StreamArn}' }],
  ['Fn::Join with Fn::GetAtt', { 'Fn::Join': ['', [{ 'Fn::GetAtt': 'Orders.StreamArn' }]] }],
  ['Fn::Sub with the table name', { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders/stream/2026-01-01T00:00:00.000' }],
  ['literal stream ARN', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders/stream/2026-01-01T00:00:00.000`],
  ...UNRESOLVED_FORMS,
];

describe('LambdaStreamOnFailureDestination (ESM1), through the stream reader every ESM rule shares', () => {
  const mapping = (arn: unknown, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: { FunctionName: 'projector', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', ...extra },
  });
  test.each(STREAM_FORMS)('Noncompliance: a mapping reading the stream as %s', (_form, arn) => {
    expect(both({ Orders: ORDERS, Projector: mapping(arn) }, rules.lambda.LambdaStreamOnFailureDestination, 'ESM1')).toEqual(['']);
  });
  test.each(STREAM_FORMS)('Compliance: a mapping reading the stream as %s, with an on-failure destination', (_form, arn) => {
    const destination = { DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:failed` } } };
    expect(both({ Orders: ORDERS, Projector: mapping(arn, destination) }, rules.lambda.LambdaStreamOnFailureDestination, 'ESM1')).toEqual([]);
  });
  test('Not applicable: a mapping reading a queue', () => {
    const queue = { Type: 'AWS::SQS::Queue', Properties: {} };
    const sqs = { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: 'f', EventSourceArn: { 'Fn::GetAtt': 'Queue.Arn' } } };
    expect(both({ Queue: queue, Worker: sqs }, rules.lambda.LambdaStreamOnFailureDestination, 'ESM1')).toEqual([]);
  });
});

describe('PipesStreamDeadLetterConfig (PIPE1), through the stream reader every Pipes rule shares', () => {
  const pipe = (source: unknown, parameters: Record<string, unknown> = {}) => ({
    Type: 'AWS::Pipes::Pipe',
    Properties: {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/pipe`,
      Source: source,
      Target: `arn:aws:sqs:us-east-1:${ACCOUNT}:audit`,
      SourceParameters: { DynamoDBStreamParameters: { StartingPosition: 'TRIM_HORIZON', ...parameters } },
    },
  });
  test.each(STREAM_FORMS)('Noncompliance: a pipe reading the stream as %s', (_form, source) => {
    expect(both({ Orders: ORDERS, Audit: pipe(source) }, rules.pipes.PipesStreamDeadLetterConfig, 'PIPE1')).toEqual(['']);
  });
  test.each(STREAM_FORMS)('Compliance: a pipe reading the stream as %s, with a dead-letter queue', (_form, source) => {
    const dlq = { DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:audit-dlq` } };
    expect(both({ Orders: ORDERS, Audit: pipe(source, dlq) }, rules.pipes.PipesStreamDeadLetterConfig, 'PIPE1')).toEqual([]);
  });
});
