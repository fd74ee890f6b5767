import { BillingMode, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { TableDefinitions } from '../../src';
import { policyDocument } from '../../src/model/policy-documents';
import { samPolicies, samStreamEvents } from '../../src/model/sam';
import { parseParameterValues, resolveTemplate } from '../../src/model/template-resolution';
import { isTrue } from '../../src/model/values';

describe('booleans as CloudFormation reads them', () => {
  test.each([true, 'true', 'True', 'TRUE'])('%p is true', (v) => expect(isTrue(v)).toBe(true));
  test.each([false, 'false', 'False', 'yes', 1, undefined, { Ref: 'Flag' }])('%p is not', (v) => expect(isTrue(v)).toBe(false));

  test('a table with "True" point-in-time recovery and "TRUE" SSE', () => {
    const [t] = TableDefinitions.fromTemplate({
      Resources: {
        T: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'True' },
            SSESpecification: { SSEEnabled: 'TRUE' },
          },
        },
      },
    });
    expect(t.replicas[0].pointInTimeRecovery).toBe(true);
    expect(t.encryption).toBe(TableEncryption.AWS_MANAGED);
  });
});

describe('policy documents', () => {
  const statement = { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '*' };
  test('an object, and a JSON string of it, are the same document', () => {
    expect(policyDocument({ Statement: [statement] })).toEqual({ Statement: [statement] });
    expect(policyDocument(JSON.stringify({ Statement: [statement] }))).toEqual({ Statement: [statement] });
  });
  test('an Fn::Sub of a JSON string keeps each reference as an intrinsic of its own', () => {
    const doc = policyDocument({ 'Fn::Sub': ['{"Statement":[{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"arn:aws:dynamodb:${AWS::Region}:*:table/${T}"}]}', { T: { Ref: 'Orders' } }] });
    expect(doc.Statement[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:aws:dynamodb:', { 'Fn::Sub': ['${AWS::Region}', { T: { Ref: 'Orders' } }] }, ':*:table/', { 'Fn::Sub': ['${T}', { T: { Ref: 'Orders' } }] }]],
    });
  });
  test('an Fn::Join of JSON text and a GetAtt, as aws-cdk-lib renders a Sub', () => {
    const doc = policyDocument({ 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Action":"dynamodb:Scan","Resource":"', { 'Fn::GetAtt': ['Orders', 'Arn'] }, '"}]}']] });
    expect(doc.Statement[0].Resource).toEqual({ 'Fn::GetAtt': ['Orders', 'Arn'] });
  });
  test.each(['not json', '[1]', { Ref: 'Doc' }, undefined])('%p is no document', (v) => expect(policyDocument(v)).toBeUndefined());
});

describe('SAM', () => {
  test('DynamoDBReadPolicy expands to the statement SAM writes: Scan on the table and its indexes', () => {
    const { documents, managedPolicyArns } = samPolicies([{ DynamoDBReadPolicy: { TableName: { Ref: 'Orders' } } }, 'AmazonDynamoDBReadOnlyAccess', { SQSPollerPolicy: { QueueName: 'q' } }]);
    expect(managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess']);
    expect(documents).toHaveLength(1);
    expect(documents[0].Statement[0].Action).toEqual(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable']);
    expect(documents[0].Statement[0].Resource[1]).toEqual({
      'Fn::Sub': ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}/index/*', { tableName: { Ref: 'Orders' } }],
    });
  });
  test('stream events become mappings; other events do not', () => {
    expect(samStreamEvents({ Events: { S: { Type: 'Kinesis', Properties: { Stream: 'arn:aws:kinesis:us-east-1:1:stream/s', BatchSize: 10 } }, A: { Type: 'Api' } } }))
      .toEqual([{ name: 'S', properties: { EventSourceArn: 'arn:aws:kinesis:us-east-1:1:stream/s', BatchSize: 10 } }]);
  });
  test('a SimpleTable is an on-demand table keyed by its PrimaryKey (id, String by default)', () => {
    const [t] = TableDefinitions.fromTemplate({ Resources: { S: { Type: 'AWS::Serverless::SimpleTable', DeletionPolicy: 'Retain' } } });
    expect(t).toMatchObject({ resourceType: 'AWS::DynamoDB::Table', partitionKey: { name: 'id', type: 'S' }, billingMode: BillingMode.PAY_PER_REQUEST, deletionPolicy: 'Retain' });
  });
});

describe('template resolution', () => {
  const template = {
    Parameters: { Env: { Type: 'String', Default: 'dev' }, Suffix: { Type: 'String', Default: '' }, Key: { Type: 'String' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
    Resources: {
      T: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: { 'Fn::Sub': 'orders-${Env}${Suffix}' },
          KeySchema: [{ AttributeName: { Ref: 'Key' }, KeyType: 'HASH' }],
          StreamSpecification: { 'Fn::If': ['IsProd', { StreamViewType: 'NEW_IMAGE' }, { Ref: 'AWS::NoValue' }] },
        },
      },
      OnlyProd: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
    },
  };
  test('defaults: names computed, the false branch and the false-conditioned resource left out, the unknown kept', () => {
    const r = resolveTemplate(template);
    expect(r.template.Resources.T.Properties).toEqual({ TableName: 'orders-dev', KeySchema: [{ AttributeName: { Ref: 'Key' }, KeyType: 'HASH' }] });
    expect(Object.keys(r.template.Resources)).toEqual(['T']);
    expect(r.unresolvedParameters).toEqual(['Key']);
    expect(r.resources.get('T')!.conditionalProperties).toEqual([{ path: 'Properties.StreamSpecification', condition: 'IsProd', value: false }]);
  });
  test('values given, as cdk deploy --parameters takes them', () => {
    const r = resolveTemplate(template, parseParameterValues('parameters', ['Env=prod', 'Stack:Key=pk']));
    expect(r.template.Resources.T.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(r.template.Resources.T.Properties.KeySchema[0].AttributeName).toBe('pk');
    expect(r.resources.get('OnlyProd')).toMatchObject({ condition: 'IsProd', conditionValue: true });
  });
});
