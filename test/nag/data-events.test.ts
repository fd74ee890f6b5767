import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { findings, globalTableResource, includedStack, ruleFindings, tableResource, TestPack } from './util';
import { BlueprintTable, DynamoDBBlueprintChecks, rules, TableDataEvents } from '../../src';
import { TEST_ENV } from '../util';

/**
 * DynamoDBCloudTrailDataEvents (DDB14): each case through the rule alone (a neutral test pack) and
 * through DynamoDBBlueprintChecks with advisory rules, which must agree.
 */

const rule = rules.dynamodb.DynamoDBCloudTrailDataEvents;
const ACCOUNT = '123456789012';
const ORDERS = tableResource({ TableName: 'orders' });
const OTHER = tableResource({ TableName: 'other' });
const GLOBAL = globalTableResource();

/** A logging trail with the given advanced event selectors (or basic ones through `properties`). */
function trail(advancedEventSelectors?: unknown[], properties: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::CloudTrail::Trail',
    Properties: { IsLogging: true, S3BucketName: 'audit-logs', AdvancedEventSelectors: advancedEventSelectors, ...properties },
  };
}

/** An advanced event selector on DynamoDB table data events, with `arn` as its `resources.ARN` field selector. */
function dataSelector(arn?: Record<string, unknown>) {
  return {
    Name: 'tables',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
      ...(arn === undefined ? [] : [{ Field: 'resources.ARN', ...arn }]),
    ],
  };
}

/** The findings of one run on the table `Orders` (`''` for NON_COMPLIANT, else the granular part). */
function ordersFindings(violations: Array<{ ruleName: string; violatingResources: Array<{ constructPath?: string }> }>, id: string): string[] {
  return violations
    .filter((v) => v.ruleName === id || v.ruleName.startsWith(`${id}[`))
    .flatMap((v) => v.violatingResources.filter((r) => r.constructPath === 'S/Orders').map(() => (v.ruleName === id ? '' : v.ruleName.slice(id.length + 1, -1))))
    .sort();
}

/** The findings of the rule alone on the table `Orders`, after checking the pack reports the same. */
function onOrders(resources: Record<string, unknown>, parameters: Record<string, unknown> = {}): string[] {
  const stack = includedStack(resources, parameters);
  const alone = ordersFindings(new TestPack([rule]).validateScope(stack).violations, `Test-${rule.name}`);
  const inPack = ordersFindings(new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true }).validateScope(stack).violations, 'DynamoDBBlueprint-DDB14');
  expect(inPack).toEqual(alone);
  return alone;
}

describe('DynamoDBCloudTrailDataEvents (DDB14) on templates', () => {
  test('Noncompliance: a table and no trail', () => {
    expect(onOrders({ Orders: ORDERS })).toEqual(['']);
  });

  test('Noncompliance: a global table and no trail', () => {
    expect(onOrders({ Orders: GLOBAL, Other: OTHER })).toEqual(['']);
  });

  test('Compliance: a trail recording the data events of every table covers a table and a global table', () => {
    const all = includedStack({ Orders: ORDERS, Global: GLOBAL, Trail: trail([dataSelector()]) });
    expect(ruleFindings(all, rule)).toEqual([]);
    expect(findings(all, 'DDB14')).toEqual([]);
  });

  test('Compliance: a CloudTrail Lake event data store recording every table\'s data events', () => {
    const store = { Type: 'AWS::CloudTrail::EventDataStore', Properties: { AdvancedEventSelectors: [dataSelector()] } };
    expect(onOrders({ Orders: ORDERS, Store: store })).toEqual([]);
  });

  test.each<[string, unknown]>([
    ['Fn::GetAtt array', { 'Fn::GetAtt': ['Orders', 'Arn'] }],
    ['Fn::GetAtt string', { 'Fn::GetAtt': 'Orders.Arn' }],
    ['Fn::Sub ${X} in an ARN', { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}' }],
    ['Fn::Join with the table name', { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 'dynamodb', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'table/orders']] }],
    ['literal ARN by TableName', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`],
  ])('Compliance: an ARN selector Equals the table as %s', (_form, arn) => {
    expect(onOrders({ Orders: ORDERS, Other: OTHER, Trail: trail([dataSelector({ Equals: [arn] })]) })).toEqual([]);
  });

  describe('a global table with a replica in another region (the stack is in us-east-1)', () => {
    const WORLD = globalTableResource({ TableName: 'orders', Replicas: [{ Region: 'us-east-1' }, { Region: 'eu-west-1' }] });
    const onWorld = (recorder: Record<string, unknown>) => onOrders({ Orders: WORLD, Trail: recorder });
    const multiRegion = { IsMultiRegionTrail: true };

    test('Noncompliance: a single-region trail of every table records the us-east-1 replica only', () => {
      expect(onWorld(trail([dataSelector()]))).toEqual(['Replica::eu-west-1']);
    });

    test('Compliance: a multi-region trail of every table, or of ARNs without a region', () => {
      expect(onWorld(trail([dataSelector()], multiRegion))).toEqual([]);
      expect(onWorld(trail([dataSelector({ StartsWith: ['arn:aws:dynamodb'] })], multiRegion))).toEqual([]);
      expect(onWorld(trail([dataSelector({ EndsWith: [':table/orders'] })], multiRegion))).toEqual([]);
      expect(onWorld(trail(undefined, { ...multiRegion, EventSelectors: [{ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] }] }] })))
        .toEqual([]);
    });

    test('Noncompliance: a multi-region trail whose selector is the table\'s own ARN, or a prefix with the stack\'s region', () => {
      expect(onWorld(trail([dataSelector({ Equals: [{ 'Fn::GetAtt': ['Orders', 'Arn'] }] })], multiRegion))).toEqual(['Replica::eu-west-1']);
      expect(onWorld(trail([dataSelector({ StartsWith: ['arn:aws:dynamodb:us-east-1:'] })], multiRegion))).toEqual(['Replica::eu-west-1']);
    });

    test('an event data store is multi-region unless it says otherwise', () => {
      const store = (properties: Record<string, unknown>) => ({ Type: 'AWS::CloudTrail::EventDataStore', Properties: { AdvancedEventSelectors: [dataSelector()], ...properties } });
      expect(onWorld(store({}))).toEqual([]);
      expect(onWorld(store({ MultiRegionEnabled: false }))).toEqual(['Replica::eu-west-1']);
    });
  });

  test('a single-region trail in another region\'s stack records nothing of the table; a multi-region one does', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const data = new Stack(app, 'S', { env: TEST_ENV });
    new TableV2(data, 'Orders', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const audit = new Stack(app, 'Audit', { env: { ...TEST_ENV, region: 'eu-west-1' } });
    const recorder = new cloudtrail.CfnTrail(audit, 'Trail', {
      isLogging: true,
      s3BucketName: 'audit-logs',
      advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] }] }],
    });
    const found = () => ruleFindings(data, rule).length;
    expect(found()).toBe(1);
    recorder.isMultiRegionTrail = true;
    expect(found()).toBe(0);
  });

  test('Noncompliance: an ARN selector on another table only', () => {
    expect(onOrders({ Orders: ORDERS, Other: OTHER, Trail: trail([dataSelector({ Equals: [{ 'Fn::GetAtt': ['Other', 'Arn'] }] })]) })).toEqual(['']);
    expect(onOrders({ Orders: ORDERS, Other: OTHER, Trail: trail([dataSelector({ Equals: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/other`] })]) })).toEqual(['']);
  });

  test('Compliance: StartsWith a prefix of the table\'s ARN, or of every DynamoDB ARN', () => {
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector({ StartsWith: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ord`] })]) })).toEqual([]);
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector({ StartsWith: ['arn:aws:dynamodb:us-east-1:'] })]) })).toEqual([]);
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector({ StartsWith: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/oth`] })]) })).toEqual(['']);
  });

  test('Noncompliance: every table but this one (NotEquals, NotStartsWith)', () => {
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector({ NotEquals: [{ 'Fn::GetAtt': 'Orders.Arn' }] })]) })).toEqual(['']);
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector({ NotStartsWith: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/ord`] })]) })).toEqual(['']);
    expect(onOrders({ Orders: ORDERS, Other: OTHER, Trail: trail([dataSelector({ NotEquals: [{ 'Fn::GetAtt': 'Other.Arn' }] })]) })).toEqual([]);
  });

  test('Noncompliance: a management-events-only trail, with basic or advanced selectors or none', () => {
    expect(onOrders({ Orders: ORDERS, Trail: trail(undefined) })).toEqual(['']);
    expect(onOrders({ Orders: ORDERS, Trail: trail(undefined, { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }] }) })).toEqual(['']);
    const management = { Name: 'management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };
    expect(onOrders({ Orders: ORDERS, Trail: trail([management]) })).toEqual(['']);
  });

  test('Noncompliance: a trail recording another service\'s data events (S3 objects)', () => {
    const s3 = { Name: 's3', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] };
    expect(onOrders({ Orders: ORDERS, Trail: trail([s3]) })).toEqual(['']);
  });

  test('Noncompliance: a trail covering the table that is not logging', () => {
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector()], { IsLogging: 'false' }) })).toEqual(['']);
  });

  test('Compliance: a basic event selector with a DynamoDB data resource, for every table or this one', () => {
    const basic = (values: unknown[]) => trail(undefined, { EventSelectors: [{ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: values }] }] });
    expect(onOrders({ Orders: ORDERS, Trail: basic(['arn:aws:dynamodb']) })).toEqual([]);
    expect(onOrders({ Orders: ORDERS, Trail: basic([{ 'Fn::GetAtt': ['Orders', 'Arn'] }]) })).toEqual([]);
    expect(onOrders({ Orders: ORDERS, Other: OTHER, Trail: basic([{ 'Fn::GetAtt': ['Other', 'Arn'] }]) })).toEqual(['']);
  });

  test.each<[string, unknown]>([
    ['Fn::ImportValue', { 'Fn::ImportValue': 'shared-orders-arn' }],
    ['Ref to a parameter', { Ref: 'OrdersArn' }],
  ])('Noncompliance: an ARN selector on %s is reported as unresolved, naming the trail', (_form, arn) => {
    expect(onOrders({ Orders: ORDERS, Trail: trail([dataSelector({ Equals: [arn] })]) }, { OrdersArn: { Type: 'String' } })).toEqual(['Unresolved::Trail']);
  });
});

describe('DynamoDBCloudTrailDataEvents (DDB14) on constructs', () => {
  const table = (stack: Stack, id: string) => new TableV2(stack, id, { partitionKey: { name: 'pk', type: AttributeType.STRING } });

  test('TableDataEvents covers the tables it is given, and only them', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    const audited = table(stack, 'Audited');
    const blueprint = new BlueprintTable(stack, 'Blueprint', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    table(stack, 'Unaudited');
    new TableDataEvents(stack, 'Audit', { tables: [audited, blueprint] });
    expect(ruleFindings(stack, rule)).toEqual(['']);
    expect(findings(stack, 'DDB14')).toEqual(['DynamoDBBlueprint-DDB14']);
    const paths = new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true }).validateScope(stack).violations
      .filter((v) => v.ruleName === 'DynamoDBBlueprint-DDB14')
      .flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    expect(paths).toEqual(['S/Unaudited/Resource']);
  });

  test('an L2 trail with only management events does not cover the table', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    table(stack, 'Orders');
    new cloudtrail.Trail(stack, 'Trail');
    expect(ruleFindings(stack, rule)).toEqual(['']);
  });

  test('an acknowledgment, as for an organization trail outside the app, silences the finding', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    const orders = table(stack, 'Orders');
    Validations.of(orders).acknowledge({ id: 'DynamoDBBlueprint-DDB14', reason: 'The organization trail records the data events of every DynamoDB table of this account.' });
    expect(findings(stack, 'DDB14')).toEqual([]);
  });

  test('a trail in another stack of the app covers its table, and only it, before synthesis and after it (through the export)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ddb14-'));
    try {
      const app = new App({ builtinCloudFormationValidation: false, outdir });
      const data = new Stack(app, 'Data', { env: TEST_ENV });
      const orders = table(data, 'Orders');
      table(data, 'Unaudited');
      new TableDataEvents(new Stack(app, 'Audit', { env: TEST_ENV }), 'Audit', { tables: [orders] });
      expect(ruleFindings(app, rule)).toEqual(['']);
      Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app, { includeAdvisoryRules: true }));
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        // Fails on DDB1 (TableV2 has no point-in-time recovery by default): the report is written all the same.
        expect(() => app.synth()).toThrow(/DDB1\[/);
      } finally {
        spy.mockRestore();
      }
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
      const pack = report.pluginReports.find((r: any) => r.pluginName === 'DynamoDBBlueprintChecks');
      // The audit stack's template names the table by Fn::ImportValue of the data stack's export.
      const auditTemplate = JSON.parse(fs.readFileSync(path.join(outdir, 'Audit.template.json'), 'utf8'));
      expect(JSON.stringify(auditTemplate)).toContain('Fn::ImportValue');
      const ruleNames = pack.violations.map((v: any) => v.ruleName);
      expect(ruleNames).toContain('DynamoDBBlueprint-DDB1[Replica::us-east-1]');
      const audited = pack.violations.filter((v: any) => v.ruleName === 'DynamoDBBlueprint-DDB14')
        .flatMap((v: any) => v.violatingConstructs.map((r: any) => r.constructPath));
      expect(audited).toEqual(['Data/Unaudited/Resource']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
