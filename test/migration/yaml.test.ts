import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { stringify } from 'yaml';
import { kinds, orders, synth } from './helpers';
import { BlueprintTable, MigrationCheck } from '../../src';
import { parseYamlTemplate } from '../../src/migration/yaml-template';

/** A hand-written SAM-style template with short-form tags; `sortKey` and `streamViewType` vary between the pairs. */
function ordersYaml(options: { sortKey?: string; streamViewType?: string; indexes?: string[] } = {}): string {
  const sortKey = options.sortKey ?? 'SK';
  const indexes = options.indexes ?? [];
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Either: !Or [!Condition IsProd, !And [!Condition NotProd, !Equals ['a', 'a']]]
Mappings:
  Capacity:
    prod: { Reads: 10 }
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: !Sub '\${AWS::StackName}-orders'
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - { AttributeName: PK, AttributeType: S }
        - { AttributeName: ${sortKey}, AttributeType: S }
${indexes.map((i) => `        - { AttributeName: ${i}, AttributeType: S }`).join('\n')}
      KeySchema:
        - { AttributeName: PK, KeyType: HASH }
        - { AttributeName: ${sortKey}, KeyType: RANGE }
${indexes.length ? '      GlobalSecondaryIndexes:\n' + indexes.map((i) => `        - IndexName: by${i}\n          KeySchema: [{ AttributeName: ${i}, KeyType: HASH }]\n          Projection: { ProjectionType: KEYS_ONLY }`).join('\n') : ''}
      StreamSpecification:
        StreamViewType: ${options.streamViewType ?? 'NEW_IMAGE'}
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !If [IsProd, true, !Ref 'AWS::NoValue']
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !ImportValue shared-orders-key
      Tags:
        - Key: zone
          Value: !Select [0, !GetAZs '']
        - Key: subnets
          Value: !Join [',', !Cidr ['10.0.0.0/16', 4, 8]]
        - Key: parts
          Value: !Select [1, !Split ['-', !FindInMap [Capacity, prod, Reads]]]
        - Key: encoded
          Value: !Base64 orders
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TABLE_ARN: !GetAtt OrdersTable.Arn
          STREAM: !GetAtt [OrdersTable, StreamArn]
          URL: !Sub
            - 'https://\${Host}/\${Table}'
            - { Host: example.com, Table: !Ref OrdersTable }
`;
}

function write(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-yaml-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('YAML templates', () => {
  test('short-form tags read as the long forms CloudFormation returns in JSON', () => {
    const template: any = parseYamlTemplate(ordersYaml());
    const table = template.Resources.OrdersTable.Properties;
    expect(template.Conditions).toEqual({
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::And': [{ Condition: 'NotProd' }, { 'Fn::Equals': ['a', 'a'] }] }] },
    });
    expect(table.TableName).toEqual({ 'Fn::Sub': '${AWS::StackName}-orders' });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: { 'Fn::If': ['IsProd', true, { Ref: 'AWS::NoValue' }] } });
    expect(table.SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::ImportValue': 'shared-orders-key' });
    expect(table.Tags.map((t: any) => t.Value)).toEqual([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Join': [',', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }] },
      { 'Fn::Select': [1, { 'Fn::Split': ['-', { 'Fn::FindInMap': ['Capacity', 'prod', 'Reads'] }] }] },
      { 'Fn::Base64': 'orders' },
    ]);
    expect(template.Resources.Reader.Properties.Environment.Variables).toEqual({
      TABLE_ARN: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] },
      STREAM: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] },
      URL: { 'Fn::Sub': ['https://${Host}/${Table}', { Host: 'example.com', Table: { Ref: 'OrdersTable' } }] },
    });
  });

  test('a YAML pair: a new sort key replaces the table', () => {
    const report = MigrationCheck.comparePaths(write('orders.yaml', ordersYaml()), write('orders.yml', ordersYaml({ sortKey: 'createdAt' })));
    // Point-in-time recovery is chosen by IsProd, on Stage, which has no default: CANNOT_TELL.
    expect(kinds(report)).toEqual(['ERROR KEY_SCHEMA_CHANGED', 'WARNING CANNOT_TELL']);
    expect(report.findings[0].table).toBe('OrdersTable');
    expect(report.findings[0].change).toBe('primary key PK + SK -> PK + createdAt');
  });

  test('a YAML pair: two new GSIs and a new stream view type take a plan', () => {
    const report = MigrationCheck.comparePaths(
      write('Orders.template.yaml', ordersYaml()),
      write('Orders.template', ordersYaml({ indexes: ['status', 'city'], streamViewType: 'NEW_AND_OLD_IMAGES' })),
    );
    expect(kinds(report)).toEqual(['ERROR TOO_MANY_GLOBAL_INDEX_CHANGES', 'ERROR STREAM_VIEW_TYPE_CHANGED', 'WARNING CANNOT_TELL']);
    expect(report.plan.map((d) => d.steps.map((step) => step.action))).toEqual([
      ['create global secondary index bystatus'],
      ['create global secondary index bycity'],
      ['remove the stream'],
      ['enable the stream with NEW_AND_OLD_IMAGES'],
    ]);
  });

  test('a YAML pair with nothing to say but what Stage, without default, leaves open', () => {
    const report = MigrationCheck.comparePaths(write('a.yaml', ordersYaml()), write('b.yaml', ordersYaml({ indexes: ['status'] })));
    expect(kinds(report)).toEqual(['WARNING CANNOT_TELL']);
    expect(report.findings[0].change).toBe('values of OrdersTable depend on conditions nobody can evaluate without parameter values: PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled (condition IsProd)');
    expect(report.tablesCompared).toBe(1);
    // With Stage given, IsProd is true: point-in-time recovery stays on, and a flip would turn it off.
    const prod = MigrationCheck.comparePaths(write('a.yaml', ordersYaml()), write('b.yaml', ordersYaml({ indexes: ['status'] })), { parameters: ['Stage=prod'] });
    expect(kinds(prod)).toEqual(['WARNING CONDITIONAL_TABLE']);
  });

  test('a deployed template saved as YAML against a synthesized JSON one: compared as equals, then a rename found', () => {
    const deployed = write('deployed.yaml', stringify(synth((s) => orders(s))));
    expect(MigrationCheck.comparePaths(deployed, write('same.json', JSON.stringify(synth((s) => orders(s))))).findings).toEqual([]);
    const renamed = write('next.json', JSON.stringify(synth((s) => new BlueprintTable(s, 'Sales', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
    }))));
    expect(kinds(MigrationCheck.comparePaths(deployed, renamed))).toEqual(['ERROR TABLE_RENAMED']);
  });
});
