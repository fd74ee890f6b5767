import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { allFindings, include, ruleFindings, tableResource } from './util';
import { MultiTenantTable } from '../../src';
import { parseYamlTemplate } from '../../src/migration/yaml-template';
import { IAMMultiTenantLeadingKeys, IAMNoDynamoDBScan } from '../../src/nag/rules/iam';
import { LambdaStreamMaximumRecordAge } from '../../src/nag/rules/lambda';
import { TEST_ENV } from '../util';

/**
 * Templates as they are found in public repositories (excerpts under real-templates/, each naming
 * its source and commit) and the shapes CloudFormation accepts that aws-cdk-lib's typed L1s refuse:
 * every expected finding is derived by hand from the template, in the comment beside it.
 */
const DIR = path.join(__dirname, 'real-templates');

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
}

/** Brings a YAML excerpt into a stack with CfnInclude (which takes JSON): how a user checks a SAM or hand-written template. */
function includeYaml(scope: Stack, name: string): CfnInclude {
  const template = parseYamlTemplate(fs.readFileSync(path.join(DIR, name), 'utf8'));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'real-template-')), 'template.json');
  fs.writeFileSync(file, JSON.stringify(template));
  return new CfnInclude(scope, 'Included', { templateFile: file });
}

const findingsOf = (scope: Stack) => allFindings(scope).map((f) => f.replace('DynamoDBBlueprint-', '').replace('S/Included/', ''));

describe('SAM resources read as what the transform makes of them', () => {
  test('sam-simple-table-crud.yaml: the SimpleTable is a table, DynamoDBCrudPolicy grants Scan', () => {
    const s = stack();
    includeYaml(s, 'sam-simple-table-crud.yaml');
    expect(findingsOf(s)).toEqual([
      'DDB1 DynamoDBTable', // a SimpleTable has no point-in-time recovery unless it says so
      'DDB2[DeletionPolicy] DynamoDBTable', // no DeletionPolicy: Delete
      'DDB2[UpdateReplacePolicy] DynamoDBTable',
      'DDB3 DynamoDBTable', // no deletion protection
      'DDB4 DynamoDBTable', // no SSESpecification: an AWS owned key (DDB5, backup coverage, is advisory)
      'IAM1[Action::dynamodb:Scan] LambdaFunction', // DynamoDBCrudPolicy expands to Scan on table/${tableName}
    ]);
  });

  test('sam-dynamodb-stream-event.yaml: the function\'s DynamoDB event is an event source mapping with its settings', () => {
    const s = stack();
    includeYaml(s, 'sam-dynamodb-stream-event.yaml');
    const esm = findingsOf(s).filter((f) => f.startsWith('ESM'));
    // StartingPosition and BatchSize only: no on-failure destination, no bisect, no partial batch
    // response, retries and record age left unbounded.
    expect(esm).toEqual([
      'ESM1[Event::Stream] ConsumerFunction',
      'ESM2[Event::Stream] ConsumerFunction',
      'ESM3[Event::Stream] ConsumerFunction',
      'ESM4[Event::Stream] ConsumerFunction',
      'ESM5[Event::Stream] ConsumerFunction',
    ]);
    // DynamoDBStreamReadPolicy grants stream reads only: no Scan.
    expect(findingsOf(s).filter((f) => f.startsWith('IAM'))).toEqual([]);
  });

  test('an event with retries off and a destination passes ESM1, ESM4 and ESM5', () => {
    const s = stack();
    include(s, {
      Orders: tableResource({ StreamSpecification: { StreamViewType: 'NEW_IMAGE' } }),
      Consumer: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Handler: 'index.handler',
          Runtime: 'nodejs22.x',
          CodeUri: 'src/',
          Events: {
            Changes: {
              Type: 'DynamoDB',
              Properties: {
                Stream: { 'Fn::GetAtt': ['Orders', 'StreamArn'] },
                StartingPosition: 'LATEST',
                MaximumRetryAttempts: 0,
                DestinationConfig: { OnFailure: { Type: 'SQS', Destination: 'arn:aws:sqs:us-east-1:111111111111:dlq' } },
              },
            },
            Api: { Type: 'Api', Properties: { Path: '/', Method: 'GET' } },
          },
        },
      },
    });
    expect(findingsOf(s).filter((f) => f.startsWith('ESM'))).toEqual(['ESM2[Event::Changes] Consumer', 'ESM3[Event::Changes] Consumer']);
  });
});

describe('policy documents in every form CloudFormation accepts', () => {
  const scanRole = (document: unknown, assume: unknown) => ({
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: assume, Policies: [{ PolicyName: 'p', PolicyDocument: document }] },
  });
  const trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

  test('a role whose documents are JSON strings: IAM1 reads them, IAM2 does not throw without a multi-tenant table', () => {
    const s = stack();
    include(s, {
      Orders: tableResource({ TableName: 'orders' }),
      Role: scanRole('{"Statement":[{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"arn:aws:dynamodb:*:*:table/orders"}]}', trust),
    });
    expect(ruleFindings(s, IAMNoDynamoDBScan)).toEqual(['Action::dynamodb:Scan']);
    expect(ruleFindings(s, IAMMultiTenantLeadingKeys)).toEqual([]);
  });

  test('IAM2 reads a JSON-string document of a role reaching a multi-tenant table', () => {
    const s = stack();
    const included = include(s, {
      Tenants: tableResource({ TableName: 'tenants' }),
      Role: scanRole('{"Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:*:*:table/tenants"}]}', trust),
    });
    MultiTenantTable.declare(included.getResource('Tenants'));
    expect(ruleFindings(s, IAMMultiTenantLeadingKeys)).toEqual(['Table::Tenants']);
  });

  test('a managed policy whose document is an Fn::Sub of a JSON string granting Scan on ${Orders.Arn}', () => {
    const s = stack();
    include(s, {
      Orders: tableResource(),
      Reader: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { 'Fn::Sub': '{"Statement":[{"Effect":"Allow","Action":["dynamodb:Scan"],"Resource":"${Orders.Arn}"}]}' } },
      },
    });
    expect(ruleFindings(s, IAMNoDynamoDBScan)).toEqual(['Action::dynamodb:Scan']);
  });

  test('a document that is no JSON is skipped, not a crash', () => {
    const s = stack();
    include(s, { Role: scanRole('not json', trust) });
    expect(ruleFindings(s, IAMNoDynamoDBScan)).toEqual([]);
  });

  test('a table\'s own ResourcePolicy granting Scan to a service principal on "*" (IAM1)', () => {
    const s = stack();
    include(s, {
      Orders: tableResource({
        ResourcePolicy: {
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: ['dynamodb:Scan', 'dynamodb:DescribeTable'], Resource: '*' }],
          },
        },
      }),
    });
    expect(ruleFindings(s, IAMNoDynamoDBScan)).toEqual(['ResourcePolicy::dynamodb:Scan']);
  });
});

describe('ESM5 speaks only where retries can hold a shard', () => {
  const mapping = (extra: Record<string, unknown>) => ({
    Orders: tableResource({ StreamSpecification: { StreamViewType: 'NEW_IMAGE' } }),
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Orders', 'StreamArn'] }, FunctionName: 'f', StartingPosition: 'LATEST', ...extra },
    },
  });
  test('Compliance: MaximumRetryAttempts 0 (a failing batch is given up at once)', () => {
    const s = stack();
    include(s, mapping({ MaximumRetryAttempts: 0 }));
    expect(ruleFindings(s, LambdaStreamMaximumRecordAge)).toEqual([]);
  });
  test('Noncompliance: MaximumRetryAttempts 2 without a maximum record age', () => {
    const s = stack();
    include(s, mapping({ MaximumRetryAttempts: 2 }));
    expect(ruleFindings(s, LambdaStreamMaximumRecordAge)).toEqual(['']);
  });
});
