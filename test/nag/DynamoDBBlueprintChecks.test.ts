import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks, NagMessageLevel, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { allFindings, include } from './util';
import { BlueprintTable, DynamoDBBlueprintChecks, DynamoDBBlueprintChecksProps } from '../../src';
import { nagFindings, rulesMarkdown } from '../../tools/nag';
import { TEST_ENV } from '../util';

describe('DynamoDBBlueprintChecks', () => {
  test('has exactly these rules, ids and levels', () => {
    expect(DynamoDBBlueprintChecks.rules().map((r) => `${r.ruleId} ${r.ruleName} ${r.level}${r.advisory ? ' advisory' : ''}`)).toEqual([
      `DynamoDBBlueprint-DDB1 DynamoDBPointInTimeRecovery ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DDB2 DynamoDBRetainPolicy ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DDB3 DynamoDBDeletionProtectionEnabled ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB4 DynamoDBCMKEncryption ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB5 DynamoDBBackupCoverage ${NagMessageLevel.WARN} advisory`,
      `DynamoDBBlueprint-DDB6 DynamoDBAutoScaling ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB7 DynamoDBGSIWriteCapacity ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB8 DynamoDBPartitionKeyCardinality ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB9 DynamoDBGSIProjectionNotAll ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB10 DynamoDBNoLSI ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-DDB11 DynamoDBGSICount ${NagMessageLevel.WARN} advisory`,
      `DynamoDBBlueprint-DDB12 DynamoDBReplicaStreamNewAndOldImages ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DDB13 DynamoDBTTLAttributeNumber ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DDB14 DynamoDBCloudTrailDataEvents ${NagMessageLevel.WARN} advisory`,
      `DynamoDBBlueprint-ESM1 LambdaStreamOnFailureDestination ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-ESM2 LambdaStreamBisectOnError ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-ESM3 LambdaStreamReportBatchItemFailures ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-ESM4 LambdaStreamMaximumRetryAttempts ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-ESM5 LambdaStreamMaximumRecordAge ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-IAM1 IAMNoDynamoDBScan ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-IAM2 IAMMultiTenantLeadingKeys ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DAX1 DAXEncryptedAtRest ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DAX2 DAXTLSEndpoint ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-DAX3 DAXMinimumNodes ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-KDS1 KinesisTableStreamEncrypted ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-PIPE1 PipesStreamDeadLetterConfig ${NagMessageLevel.ERROR}`,
      `DynamoDBBlueprint-PIPE2 PipesStreamMaximumRetryAttempts ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-PIPE3 PipesStreamMaximumRecordAge ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-PIPE4 PipesStreamPartialBatchFailure ${NagMessageLevel.WARN}`,
      `DynamoDBBlueprint-PIPE5 PipesStreamStartingPosition ${NagMessageLevel.WARN} advisory`,
    ]);
  });

  test('no rule name is the name of a cdk-nag rule, and no rule uses INFO (cdk-nag 3 reports it as a warning)', () => {
    const nagRules = path.join(path.dirname(require.resolve('cdk-nag')), 'rules');
    const names = new Set(fs.readdirSync(nagRules, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => fs.readdirSync(path.join(nagRules, d.name)).filter((f) => f.endsWith('.js') && f !== 'index.js').map((f) => f.replace(/\.js$/, ''))));
    expect(names.size).toBeGreaterThan(200);
    for (const rule of DynamoDBBlueprintChecks.rules()) {
      expect(names.has(rule.ruleName)).toBe(false);
      expect(rule.level).not.toBe(NagMessageLevel.INFO);
      expect(rule.reportedSeverity).toBe(rule.level === NagMessageLevel.ERROR ? 'error' : 'warning');
    }
  });

  test('every rule has a one-sentence info and explanation and a fix', () => {
    for (const rule of DynamoDBBlueprintChecks.rules()) {
      for (const text of [rule.info, rule.explanation]) {
        expect(text).toMatch(/^[A-Z`].*\.$/);
        expect(text.replace(/e\.g\.|\.\.\./g, '').slice(0, -1)).not.toMatch(/\.\s/);
      }
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });

  test('a granular finding is acknowledged alone, with a reason', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    const table = new Table(stack, 'T', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
    });
    table.addGlobalSecondaryIndex({ indexName: 'byA', partitionKey: { name: 'a', type: AttributeType.STRING } });
    table.addGlobalSecondaryIndex({ indexName: 'byB', partitionKey: { name: 'b', type: AttributeType.STRING } });
    Validations.of(table).acknowledge({ id: 'DynamoDBBlueprint-DDB9[Index::byA]', reason: 'byA serves a report that reads every attribute.' });
    const ids = allFindings(stack).filter((f) => f.startsWith('DynamoDBBlueprint-DDB9'));
    expect(ids).toEqual(['DynamoDBBlueprint-DDB9[Index::byB] S/T/Resource']);
  });

  test('a second validation sees changes made after the first', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    const table = new BlueprintTable(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const pack = new DynamoDBBlueprintChecks();
    expect(pack.validateScope(stack).violations).toEqual([]);
    (table.node.defaultChild as CfnResource).addPropertyOverride('Replicas.0.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled', false);
    expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual(['DynamoDBBlueprint-DDB1[Replica::us-east-1]']);
  });

  test('skipRulesCoveredByCdkNagPacks leaves a Table\'s PITR to the general packs, and still checks a TableV2', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    new Table(stack, 'V1', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    new TableV2(stack, 'V2', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const pitr = (pack: NagPack) => nagFindings(stack, [pack]).map((f) => `${f.ruleId} ${f.path}`)
      .filter((f) => /DynamoDBBlueprint-DDB1|AwsSolutions-DDB3|PITREnabled/.test(f));
    expect(pitr(new DynamoDBBlueprintChecks())).toEqual(['DynamoDBBlueprint-DDB1 S/V1/Resource', 'DynamoDBBlueprint-DDB1[Replica::us-east-1] S/V2/Resource']);
    expect(pitr(new DynamoDBBlueprintChecks(undefined, { skipRulesCoveredByCdkNagPacks: true }))).toEqual(['DynamoDBBlueprint-DDB1[Replica::us-east-1] S/V2/Resource']);
    // The packs it is left to do report it on the Table, and not on the TableV2.
    expect(pitr(new AwsSolutionsChecks())).toEqual(['AwsSolutions-DDB3 S/V1/Resource']);
    expect(pitr(new NIST80053R5Checks())).toEqual(['NIST.800.53.R5-DynamoDBPITREnabled S/V1/Resource']);
  });

});

describe('reports as aws-cdk-lib\'s validation does', () => {
  const fixOf = (id: string) => DynamoDBBlueprintChecks.rules().find((r) => r.ruleId === id)!.fix;

  /** Synthesizes a table in an app with the pack; returns what was printed, the report file and the error, if any. */
  function synthWithPack(table: (stack: Stack) => void, props: DynamoDBBlueprintChecksProps = {}) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
    const app = new App({ builtinCloudFormationValidation: false, outdir });
    table(new Stack(app, 'S', { env: TEST_ENV }));
    Validations.of(app).addPlugins(new DynamoDBBlueprintChecks(app, props));
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
    let error: Error | undefined;
    try {
      app.synth();
    } catch (err) {
      error = err as Error;
    } finally {
      spy.mockRestore();
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    fs.rmSync(outdir, { recursive: true, force: true });
    const pack = report.pluginReports.find((r: any) => r.pluginName === 'DynamoDBBlueprintChecks');
    return { printed: printed.join('\n') + (error?.message ?? ''), pack, error };
  }

  // Point-in-time recovery and a Retain policy: no error-level finding. A `status` partition key (DDB8),
  // fixed capacity (DDB6), no deletion protection (DDB3) and an AWS owned key (DDB4): warnings.
  const warningsOnly = (stack: Stack) => new Table(stack, 'T', {
    partitionKey: { name: 'status', type: AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });

  test('a warning-only app synthesizes, and prints and records each warning with its fix', () => {
    const { printed, pack, error } = synthWithPack(warningsOnly);
    expect(error).toBeUndefined();
    expect(pack.conclusion).toBe('success');
    const rules = pack.violations.map((v: any) => `${v.ruleName} ${v.severity}`).sort();
    expect(rules).toEqual([
      'DynamoDBBlueprint-DDB3 warning',
      'DynamoDBBlueprint-DDB4 warning',
      'DynamoDBBlueprint-DDB6[Table::Reads] warning',
      'DynamoDBBlueprint-DDB6[Table::Writes] warning',
      'DynamoDBBlueprint-DDB8[Table::status] warning',
    ]);
    const ddb8 = pack.violations.find((v: any) => v.ruleName === 'DynamoDBBlueprint-DDB8[Table::status]');
    expect(ddb8.suggestedFix).toBe(fixOf('DynamoDBBlueprint-DDB8'));
    expect(ddb8.violatingConstructs.map((c: any) => c.constructPath)).toEqual(['S/T/Resource']);
    expect(printed).toContain('DynamoDBBlueprint-DDB8[Table::status]');
    // In-process synthesis prints "Suggested fix:"; the cdk CLI prints the same field as "How to fix".
    expect(printed).toContain(`Suggested fix: ${fixOf('DynamoDBBlueprint-DDB8')}`);
  });

  test('an error-level finding fails synthesis, and the report keeps its fix', () => {
    const { pack, error } = synthWithPack((stack) => new Table(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } }));
    expect(error?.message).toMatch(/ERROR .*point-in-time recovery[^]*Suggested fix: Enable point-in-time recovery/);
    expect(pack.conclusion).toBe('failure');
    const ddb1 = pack.violations.find((v: any) => v.ruleName === 'DynamoDBBlueprint-DDB1');
    expect(ddb1.severity).toBe('error');
    expect(ddb1.suggestedFix).toBe(fixOf('DynamoDBBlueprint-DDB1'));
  });

  test('an acknowledged error no longer fails synthesis', () => {
    const { pack, error } = synthWithPack((stack) => {
      const table = new Table(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
      Validations.of(table).acknowledge({ id: 'DynamoDBBlueprint-DDB1', reason: 'A cache table, rebuilt from the source of truth.' });
    });
    expect(error).toBeUndefined();
    expect(pack.conclusion).toBe('success');
    expect(pack.violations.every((v: any) => v.severity === 'warning')).toBe(true);
  });

  test('failOnWarnings makes warnings fail synthesis, for CI gates', () => {
    const { pack, error } = synthWithPack(warningsOnly, { failOnWarnings: true });
    expect(error?.message).toMatch(/DynamoDBBlueprint-DDB8\[Table::status\]/);
    expect(pack.conclusion).toBe('failure');
    expect(pack.violations.every((v: any) => v.severity === 'warning')).toBe(true);
  });

  test('validateScope reports the same levels and fixes, advisory findings as warnings', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    const table = new Table(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
      table.addGlobalSecondaryIndex({
        indexName: name, partitionKey: { name, type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY,
      });
    }
    const report = new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true }).validateScope(stack);
    expect(report.success).toBe(false);
    const levels = Object.fromEntries(report.violations.map((v) => [v.ruleName.replace(/\[.*$/, ''), v.severity]));
    expect(levels['DynamoDBBlueprint-DDB1']).toBe('error');
    expect(levels['DynamoDBBlueprint-DDB5']).toBe('warning');
    expect(levels['DynamoDBBlueprint-DDB11']).toBe('warning');
    for (const v of report.violations) {
      expect(v.fix).toBe(fixOf(v.ruleName.replace(/\[.*$/, '')));
    }
    Validations.of(table).acknowledge({ id: 'DynamoDBBlueprint-DDB1', reason: 'A cache table, rebuilt from the source of truth.' });
    expect(new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true }).validateScope(stack).success).toBe(true);
    expect(new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true, failOnWarnings: true }).validateScope(stack).success).toBe(false);
  });

  test('a Python caller (JSII_AGENT as the jsii runtime sets it) reads the fix in its own spelling', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    new Table(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
    const previous = process.env.JSII_AGENT;
    process.env.JSII_AGENT = 'Python/3.11.4';
    try {
      const fixes = Object.fromEntries(new DynamoDBBlueprintChecks().validateScope(stack).violations.map((v) => [v.ruleName, v.fix]));
      expect(fixes['DynamoDBBlueprint-DDB1']).toContain('(`point_in_time_recovery_specification`;');
      expect(fixes['DynamoDBBlueprint-DDB2[DeletionPolicy]']).toBe('`removal_policy=RemovalPolicy.RETAIN` (BlueprintTable\'s default).');
    } finally {
      if (previous === undefined) {
        delete process.env.JSII_AGENT;
      } else {
        process.env.JSII_AGENT = previous;
      }
    }
  });
});

describe('RULES.md', () => {
  test('is generated from the pack\'s own rule table and up to date (`npx projen rules` regenerates it)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    expect(committed).toEqual(rulesMarkdown());
    for (const rule of DynamoDBBlueprintChecks.rules()) {
      expect(committed).toContain(`| ${rule.ruleId} |`);
    }
  });

  test('the README links it and the rule pack guide instead of copying the table', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain('(RULES.md)');
    expect(readme).toContain('(docs/rule-pack.md)');
    expect(readme).not.toContain('| DynamoDBBlueprint-DDB1 |');
  });
});

describe('CfnInclude', () => {
  test('checks a global table, a stream consumer and a DAX cluster brought in from a template', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: TEST_ENV });
    include(stack, {
      Orders: {
        Type: 'AWS::DynamoDB::GlobalTable',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          SSESpecification: { SSEEnabled: 'true', SSEType: 'KMS' },
          Replicas: ['us-east-1', 'eu-west-1'].map((region) => ({
            Region: region,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'true' },
            DeletionProtectionEnabled: region === 'us-east-1' ? 'true' : 'false',
            SSESpecification: { KMSMasterKeyId: `alias/orders-${region}` },
          })),
        },
      },
      Projector: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: 'projector',
          EventSourceArn: { 'Fn::GetAtt': ['Orders', 'StreamArn'] },
          StartingPosition: 'TRIM_HORIZON',
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } },
          BisectBatchOnFunctionError: 'true',
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          MaximumRetryAttempts: '3',
        },
      },
      Cache: {
        Type: 'AWS::DAX::Cluster',
        Properties: {
          IAMRoleARN: 'arn:aws:iam::123456789012:role/dax',
          NodeType: 'dax.r5.large',
          ReplicationFactor: '3',
          SSESpecification: { SSEEnabled: 'true' },
          ClusterEndpointEncryptionType: 'TLS',
        },
      },
    });
    expect(allFindings(stack)).toEqual([
      'DynamoDBBlueprint-DDB3[Replica::eu-west-1] S/Included/Orders',
      'DynamoDBBlueprint-ESM5 S/Included/Projector',
    ]);
  });
});
