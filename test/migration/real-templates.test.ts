import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MigrationCheck, MigrationCheckOptions, MigrationReport } from '../../src';
import { main } from '../../src/cli/main';
import { parseYamlTemplate } from '../../src/migration/yaml-template';

/**
 * Templates as they are deployed: parameters, conditions, SAM resources, loose booleans. The
 * excerpt under real-templates/ names its source; the other shapes are written here, each the
 * smallest template showing one case. Every expected verdict comes from CloudFormation's rules.
 */
const yaml = (text: string) => parseYamlTemplate(text);
const sample = fs.readFileSync(path.join(__dirname, 'real-templates', 'DynamoDB_Table.yaml'), 'utf8');
const found = (report: MigrationReport) => report.findings.map((f) => `${f.severity} ${f.kind} ${f.table}`);
const check = (before: string, after: string, options?: MigrationCheckOptions) => MigrationCheck.compareTemplates(yaml(before), yaml(after), options);

const table = (properties: string, attributes = '') => `
Resources:
  Orders:
    Type: AWS::DynamoDB::Table${attributes}
    Properties:
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
      BillingMode: PAY_PER_REQUEST
${properties}`;

describe('DynamoDB_Table.yaml, whose key name is a parameter without default', () => {
  test('unchanged: compared, not refused; the unknown key name is a CANNOT_TELL warning', () => {
    const report = check(sample, sample);
    expect(report.tablesCompared).toBe(1);
    expect(report.safe).toBe(true);
    expect(found(report)).toEqual(['WARNING CANNOT_TELL myDynamoDBTable']);
    expect(report.findings[0].fix).toContain('--parameters HashKeyElementName=<value>');
  });

  test('with --parameters HashKeyElementName=id: nothing to say', () => {
    const report = check(sample, sample, { parameters: ['HashKeyElementName=id'] });
    expect(found(report)).toEqual([]);
  });

  test('the key type default S -> N replaces the table', () => {
    const after = sample.replace('    Default: S', '    Default: N');
    expect(found(check(sample, after, { parameters: ['HashKeyElementName=id'] }))).toEqual(['ERROR KEY_ATTRIBUTE_TYPE_CHANGED myDynamoDBTable']);
  });

  test('a parameter value that is not Name=Value is refused', () => {
    expect(() => check(sample, sample, { parameters: ['HashKeyElementName'] })).toThrow(/`parameters` has "HashKeyElementName": write Name=Value/);
  });
});

test('a real commit pair: serverless-patterns\' streaming table gets a new key and loses its fixed name, replaced', () => {
  const read = (name: string) => fs.readFileSync(path.join(__dirname, 'real-templates', name), 'utf8');
  // model + identifier -> id is a new key schema; TableName StreamingFunction -> generated is a new name.
  expect(found(check(read('streaming-ttfb-before.yaml'), read('streaming-ttfb-after.yaml'))))
    .toEqual(['ERROR KEY_SCHEMA_CHANGED DDBTable', 'ERROR TABLE_NAME_CHANGED DDBTable']);
});

describe('parameters resolved by their defaults', () => {
  const named = (name: string, parameters = '') => `
Parameters:
  Env:
    Type: String
    Default: dev${parameters}
${table(`      TableName: !Sub '${name}'`)}`;

  test('a !Sub name that gains ${ResourceSuffix}, default "", is the same name', () => {
    const before = named('orders-${Env}');
    const after = named('orders-${Env}${ResourceSuffix}', '\n  ResourceSuffix:\n    Type: String\n    Default: ""');
    expect(found(check(before, after))).toEqual([]);
  });

  test('a default that changes the name replaces the table', () => {
    expect(found(check(named('orders-${Env}'), named('orders-${Env}').replace('Default: dev', 'Default: test'))))
      .toEqual(['ERROR TABLE_NAME_CHANGED Orders']);
  });
});

describe('booleans as CloudFormation reads them', () => {
  const sse = (enabled: string) => table(`      SSESpecification: { SSEEnabled: ${enabled} }`);
  test('"True" -> true is no change', () => {
    expect(found(check(sse('"True"'), sse('true')))).toEqual([]);
  });
  test('SSE switched on with "TRUE" is a new key', () => {
    expect(found(check(sse('false'), sse('"TRUE"')))).toEqual(['WARNING ENCRYPTION_KEY_CHANGED Orders']);
  });
  test('deletion protection "True" -> "false" is switched off', () => {
    expect(found(check(table('      DeletionProtectionEnabled: "True"'), table('      DeletionProtectionEnabled: "false"'))))
      .toEqual(['ERROR DELETION_PROTECTION_DISABLED Orders']);
  });
});

describe('SAM SimpleTable as the table it becomes', () => {
  const simple = (key: string) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  Sessions:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: { Name: ${key}, Type: String }
`;
  test('a PrimaryKey change replaces the table', () => {
    const report = check(simple('id'), simple('sessionId'));
    expect(report.tablesCompared).toBe(1);
    expect(found(report)).toEqual(['ERROR KEY_SCHEMA_CHANGED Sessions']);
  });
});

describe('conditions', () => {
  const conditional = (attributes: string, properties = '') => `
Parameters:
  Stage:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
${table(properties, attributes)}`;

  test('a table that gains a Condition: what happens when it is false', () => {
    const report = check(conditional(''), conditional('\n    Condition: IsProd'));
    expect(found(report)).toEqual(['WARNING CONDITIONAL_TABLE Orders']);
    expect(report.findings[0].change).toBe('table Orders exists only while condition IsProd is true (with the parameters\' defaults: true)');
    expect(report.findings[0].why).toContain('deletes Orders and all its data');
  });

  test('with Stage=dev the condition is false and the table leaves: deleted', () => {
    const report = check(conditional(''), conditional('\n    Condition: IsProd'), { parameters: ['Stage=dev'] });
    expect(found(report)).toEqual(['ERROR TABLE_REMOVED Orders']);
  });

  test('a stream put behind !If: the other branch drops it', () => {
    const stream = '      StreamSpecification: !If [IsProd, { StreamViewType: NEW_IMAGE }, !Ref AWS::NoValue]';
    const report = check(conditional('', '      StreamSpecification: { StreamViewType: NEW_IMAGE }'), conditional('', stream));
    expect(found(report)).toEqual(['WARNING CONDITIONAL_TABLE Orders']);
    expect(report.findings[0].change).toBe('table Orders has properties chosen by conditions: StreamSpecification by IsProd (true)');
    // Stage=dev takes the other branch: the stream is turned off.
    expect(found(check(conditional('', '      StreamSpecification: { StreamViewType: NEW_IMAGE }'), conditional('', stream), { parameters: ['Stage=dev'] })))
      .toEqual(['WARNING STREAM_DISABLED Orders', 'WARNING CONDITIONAL_TABLE Orders']);
  });
});

test('a logical id renamed under a fixed !Sub name: the update fails, said with the fixes', () => {
  const named = (id: string) => table('      TableName: !Sub "${AWS::StackName}-orders"').replace('  Orders:', `  ${id}:`);
  const report = check(named('Orders'), named('OrdersTable'));
  expect(found(report)).toEqual(['ERROR TABLE_RENAMED Orders']);
  const [finding] = report.findings;
  expect(finding.change).not.toContain('generated name');
  expect(finding.why).toContain('the deployment fails');
  expect(finding.fix).toContain('overrideLogicalId(\'Orders\')');
});

describe('replicas whose Region is a parameter without default', () => {
  const global = (protection: [string, string]) => `
Parameters:
  PrimaryRegion: { Type: String }
  SecondaryRegion: { Type: String }
Resources:
  Orders:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
      Replicas:
        - Region: !Ref PrimaryRegion
          DeletionProtectionEnabled: ${protection[0]}
        - Region: !Ref SecondaryRegion
          DeletionProtectionEnabled: ${protection[1]}
`;
  test('each replica is matched by its expression: protection switched off on one is reported', () => {
    const report = check(global(['true', 'true']), global(['true', 'false']));
    expect(found(report)).toEqual(['ERROR DELETION_PROTECTION_DISABLED Orders', 'WARNING CANNOT_TELL Orders']);
    expect(report.findings[0].change).toContain('{"Ref":"SecondaryRegion"}');
  });
  test('matched by the resolved region when values are given', () => {
    const report = check(global(['true', 'true']), global(['true', 'false']), { parameters: ['PrimaryRegion=us-east-1', 'SecondaryRegion=eu-west-1'] });
    expect(found(report)).toEqual(['ERROR DELETION_PROTECTION_DISABLED Orders']);
    expect(report.findings[0].change).toContain('eu-west-1');
  });
});

test('a malformed KeySchema item is refused, naming the property', () => {
  const bad = table('').replace('KeySchema: [{ AttributeName: pk, KeyType: HASH }]', 'KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk }]');
  expect(() => check(table(''), bad)).toThrow('Resource Orders: KeySchema[1].KeyType of the table is undefined, allowed values HASH and RANGE');
});

describe('check-migration --parameters', () => {
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
    return { code, stdout, stderr };
  };
  const file = (name: string, text: string) => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'real-templates-')), name);
    fs.writeFileSync(f, text);
    return f;
  };

  test('the sample is compared; a value given for the key name leaves nothing to say', async () => {
    const deployed = file('deployed.yaml', sample);
    const unknown = await run('check-migration', deployed, deployed);
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain('1 table(s) in 1 stack(s) compared: 0 error(s), 1 warning(s).');
    const given = await run('check-migration', deployed, deployed, '--parameters', 'HashKeyElementName=id', '--parameters', 'ReadCapacityUnits=5');
    expect(given).toEqual({ code: 0, stdout: '1 table(s) in 1 stack(s) compared: 0 error(s), 0 warning(s).\n', stderr: '' });
  });

  test('a malformed KeySchema exits 2 naming the property', async () => {
    const bad = file('bad.yaml', table('').replace('KeyType: HASH }]', 'KeyType: PARTITION }]'));
    const result = await run('check-migration', file('ok.yaml', table('')), bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('KeySchema[0].KeyType of the table is "PARTITION", allowed values HASH and RANGE');
  });
});
