import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { BillingMode, StreamViewType, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { DynamoDBBlueprintChecks, TableDefinitions } from '../../src';
import { nagFindings } from '../../tools/nag';
import { TEST_ENV } from '../util';

/**
 * Hand-written templates in the styles found in the wild (string-form Fn::GetAtt, Fn::Sub, Fn::Join
 * of a table name, parameters, imports, managed policies, NotAction, EventBridge pipes), read by the
 * model and checked by the pack through CfnInclude. Every expected finding is derived by hand from
 * the template; see the comments.
 */
const CORPUS = path.join(__dirname, 'corpus');
const template = (name: string) => JSON.parse(fs.readFileSync(path.join(CORPUS, `${name}.json`), 'utf8'));

function packFindings(name: string, advisory: boolean): string[] {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
  new CfnInclude(stack, 'Included', { templateFile: path.join(CORPUS, `${name}.json`) });
  return nagFindings(stack, [new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: advisory })])
    .map((f) => `${f.ruleId.replace('DynamoDBBlueprint-', '')} ${f.path.replace('S/Included/', '')}`)
    .sort();
}

test('the corpus holds the templates this test derives findings for', () => {
  expect(fs.readdirSync(CORPUS).sort()).toEqual(['global-tenants.json', 'legacy-app.json', 'orders-service.json']);
});

describe('orders-service.json', () => {
  test('the model reads the table, its on-demand maxima and its customer-managed key', () => {
    const [orders] = TableDefinitions.fromTemplate(template('orders-service'));
    expect(orders).toMatchObject({
      logicalId: 'Orders',
      tableName: 'orders',
      billingMode: BillingMode.PAY_PER_REQUEST,
      maxReadRequestUnits: 4000,
      maxWriteRequestUnits: 1000,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      streamViewType: StreamViewType.NEW_AND_OLD_IMAGES,
    });
  });

  test('findings: KDS1 through "Changes.Arn", IAM1 through ${Orders.Arn}, ESM5, and the pipe on ${Orders.StreamArn}', () => {
    const expected = [
      'ESM5 Projector', // no MaximumRecordAgeInSeconds; everything else of the mapping is set
      'IAM1[Action::dynamodb:Scan] ReportReader', // Scan on ${Orders.Arn}/index/*
      'KDS1 Changes', // the table streams into it by {"Fn::GetAtt": "Changes.Arn"}, and it has no StreamEncryption
      'PIPE1 AuditPipe', // no DeadLetterConfig
      'PIPE3 AuditPipe', // no MaximumRecordAgeInSeconds
      'PIPE4 AuditPipe', // no OnPartialBatchItemFailure
    ];
    expect(packFindings('orders-service', false)).toEqual(expected);
    // LATEST, reported only by the advisory PIPE5; no trail in the template records the table's data events (DDB14).
    expect(packFindings('orders-service', true)).toEqual([...expected, 'DDB14 Orders', 'PIPE5 AuditPipe'].sort());
  });
});

describe('legacy-app.json', () => {
  test('the model reads fixed provisioned capacity, an AWS owned key and no retention policy', () => {
    const [sessions] = TableDefinitions.fromTemplate(template('legacy-app'));
    expect(sessions).toMatchObject({
      billingMode: BillingMode.PROVISIONED,
      readCapacity: { autoscaled: false, fixedUnits: 5 },
      encryption: TableEncryption.DEFAULT,
      deletionPolicy: undefined,
      timeToLiveAttribute: 'expiresAt',
    });
    expect(sessions.replicas).toEqual([expect.objectContaining({ inStackRegion: true, pointInTimeRecovery: false })]);
  });

  test('findings: the unprotected table, a managed policy and NotAction, a mapping on a parameter, an imported backup target', () => {
    const expected = [
      'DDB1 Sessions', 'DDB2[DeletionPolicy] Sessions', 'DDB2[UpdateReplacePolicy] Sessions', 'DDB3 Sessions', 'DDB4 Sessions',
      'DDB6[Table::Reads] Sessions', 'DDB6[Table::Writes] Sessions', // 5 and 5 fixed units, no BillingMode
      // The stream ARN is a parameter: unresolved, and StartingPosition says it is a stream.
      'ESM1 Cleaner', 'ESM2 Cleaner', 'ESM3 Cleaner', 'ESM4 Cleaner', 'ESM5 Cleaner',
      'IAM1[ManagedPolicy::AmazonDynamoDBReadOnlyAccess] AppRole', // attached by Fn::Join of the partition
      'IAM1[NotAction::iam:*] AppRole', // everything but IAM, on the sessions table's literal ARN
    ];
    expect(packFindings('legacy-app', false)).toEqual(expected);
    // DDB5: no PITR, and the only backup selection names an import, which does not count as covering.
    // DDB14: the template has no trail.
    expect(packFindings('legacy-app', true)).toEqual([...expected, 'DDB14 Sessions', 'DDB5[Unresolved::Backups] Sessions'].sort());
  });
});

describe('global-tenants.json', () => {
  test('the model reads a replica in { Ref: AWS::Region } as the stack region, without a sentinel', () => {
    const [tenants] = TableDefinitions.fromTemplate(template('global-tenants'));
    expect(tenants.maxWriteRequestUnits).toBe(500);
    expect(tenants.replicas.map((r) => [r.region, r.inStackRegion, r.maxReadRequestUnits])).toEqual([
      [undefined, true, 2000],
      ['eu-west-1', false, undefined],
    ]);
  });

  test('findings: IAM2 through Fn::Join of the table name and through *, not through the LeadingKeys-scoped wildcard', () => {
    expect(packFindings('global-tenants', true)).toEqual([
      'DDB14 Tenants', // no trail in the template records its data events
      'DDB3[Replica::eu-west-1] Tenants', // deletion protection off in eu-west-1
      'IAM1[Action::dynamodb:*] Admin', // dynamodb:* on *
      'IAM2[Table::Tenants] Admin', // ... without a LeadingKeys condition
      'IAM2[Table::Tenants] Unscoped', // arn:...:table/tenants written with Fn::Join
    ]);
  });
});
