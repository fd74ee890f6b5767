/*
 * After `cdk deploy` onto the emulator: compares what the emulator's APIs report for each deployed resource
 * with the synthesized template, property by property, for every property the emulator models; prints the
 * properties it does not model (never asserted: the template tests judge them). Exits 1 on any difference.
 *
 *   ts-node scripts/ci/deploy/compare.ts <cdk.out of a copied app> <label>
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { GetEventSourceMappingCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, DeployedStack, deployedStacks, sameJson } from './emulator';

/** How one property of one deployed resource fared. */
export type Verdict = 'honoured' | 'DIFFERS' | 'not modelled' | 'not read back';

export interface Finding {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly property: string;
  readonly verdict: Verdict;
  /** What the emulator reported, where it reported something for a property it does not model or that differs. */
  readonly detail?: string;
}

/** Why a whole resource type is judged on the template only. */
const NOT_READ_BACK: Record<string, string> = {
  'AWS::IAM::Role': 'IAM is not enforced by the emulator',
  'AWS::IAM::Policy': 'IAM is not enforced by the emulator',
  'AWS::KMS::Key': 'KMS key policies and rotation are not enforced by the emulator',
  'AWS::KMS::Alias': 'KMS is not enforced by the emulator',
  'AWS::SQS::QueuePolicy': 'resource policies are not enforced by the emulator',
  'AWS::SNS::TopicPolicy': 'resource policies are not enforced by the emulator',
  'AWS::SNS::Topic': 'not read back (its ARN is checked as the alarms\' action)',
};

/** Properties the emulator accepts and reports but whose behaviour its DynamoDB-stream poller does not act on (ministack 1.5.33, services/lambda_svc.py). */
export const STORED_NOT_ACTED_ON = [
  'BisectBatchOnFunctionError: a failed batch is retried whole, never split',
  'MaximumRetryAttempts: a failed batch is retried until it succeeds or MaximumRecordAgeInSeconds passes',
  'FunctionResponseTypes ReportBatchItemFailures: a DynamoDB-stream batch that returns batchItemFailures counts as processed and the position moves past all of it',
  'ParallelizationFactor: one batch at a time per mapping',
  'DestinationConfig.OnFailure: written only when a failing batch is older than MaximumRecordAgeInSeconds',
];

class StackChecker {
  readonly findings: Finding[] = [];
  private readonly ddb: DynamoDBClient;
  private readonly lambda: LambdaClient;
  private readonly sqs: SQSClient;
  private readonly cloudwatch: CloudWatchClient;
  private readonly tables = new Map<string, TableDescription>();

  constructor(private readonly stack: DeployedStack) {
    const config = clientConfig(stack.region);
    this.ddb = new DynamoDBClient(config);
    this.lambda = new LambdaClient(config);
    // Queue URLs say `localhost`: keep to the 127.0.0.1 endpoint.
    this.sqs = new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
    this.cloudwatch = new CloudWatchClient(config);
  }

  async checkAll(): Promise<void> {
    for (const [logicalId, resource] of Object.entries<any>(this.stack.template.Resources ?? {})) {
      if (resource.Type === 'AWS::CDK::Metadata') {
        continue;
      }
      if (this.stack.physicalIds[logicalId] === undefined) {
        this.add(logicalId, resource.Type, '(resource)', 'DIFFERS', 'in the template, not in the deployed stack');
        continue;
      }
      const props = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::DynamoDB::GlobalTable':
        case 'AWS::DynamoDB::Table':
          await this.checkTable(logicalId, resource.Type, props);
          break;
        case 'AWS::Lambda::EventSourceMapping':
          await this.checkMapping(logicalId, props);
          break;
        case 'AWS::Lambda::Function':
          await this.checkFunction(logicalId, props);
          break;
        case 'AWS::SQS::Queue':
          await this.checkQueue(logicalId, props);
          break;
        case 'AWS::CloudWatch::Alarm':
          await this.checkAlarm(logicalId, props);
          break;
        default:
          for (const property of Object.keys(props)) {
            this.add(logicalId, resource.Type, property, 'not read back', NOT_READ_BACK[resource.Type] ?? 'no check reads this type back');
          }
      }
    }
  }

  destroy(): void {
    this.ddb.destroy();
    this.lambda.destroy();
    this.sqs.destroy();
    this.cloudwatch.destroy();
  }

  private add(logicalId: string, type: string, property: string, verdict: Verdict, detail?: string) {
    this.findings.push({ stack: this.stack.stackName, logicalId, type, property, verdict, detail });
  }

  /** Compares one property; `expected` and `actual` are compared as JSON, object keys in any order. */
  private compare(logicalId: string, type: string, property: string, expected: unknown, actual: unknown) {
    if (sameJson(expected, actual)) {
      this.add(logicalId, type, property, 'honoured');
    } else {
      this.add(logicalId, type, property, 'DIFFERS', `template ${JSON.stringify(expected)}, emulator ${JSON.stringify(actual)}`);
    }
  }

  /** A property the emulator does not model: printed with what the emulator reports, never asserted. */
  private notModelled(logicalId: string, type: string, property: string, expected: unknown, reported: unknown) {
    const same = sameJson(expected, reported);
    this.add(logicalId, type, property, 'not modelled',
      `template ${JSON.stringify(expected)}, emulator reports ${JSON.stringify(reported ?? null)}${same ? ' (equal now: check whether the emulator models it, and compare it)' : ''}`);
  }

  private async table(logicalId: string): Promise<TableDescription> {
    if (!this.tables.has(logicalId)) {
      const { Table } = await this.ddb.send(new DescribeTableCommand({ TableName: this.stack.physicalIds[logicalId] }));
      this.tables.set(logicalId, Table!);
    }
    return this.tables.get(logicalId)!;
  }

  /** A template value with its references resolved to what the emulator reports for the referenced resource. */
  private async resolve(value: any): Promise<any> {
    if (Array.isArray(value)) {
      return Promise.all(value.map((v) => this.resolve(v)));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') {
      return this.ref(value.Ref);
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attribute] = typeof value['Fn::GetAtt'] === 'string' ? value['Fn::GetAtt'].split('.') : value['Fn::GetAtt'];
      return this.getAtt(id, attribute);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [separator, parts] = value['Fn::Join'];
      return (await this.resolve(parts)).join(separator);
    }
    if (keys.length === 1 && keys[0].startsWith('Fn::')) {
      throw new Error(`${this.stack.stackName}: cannot resolve ${keys[0]} in ${JSON.stringify(value)}`);
    }
    return Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await this.resolve(value[k])])));
  }

  private ref(id: string): string {
    const pseudo: Record<string, string> = { 'AWS::AccountId': this.stack.account, 'AWS::Region': this.stack.region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
    if (pseudo[id] !== undefined) {
      return pseudo[id];
    }
    const physical = this.stack.physicalIds[id];
    if (physical === undefined) {
      throw new Error(`${this.stack.stackName}: Ref ${id} names no deployed resource`);
    }
    return physical;
  }

  private async getAtt(id: string, attribute: string): Promise<string> {
    const type = this.stack.template.Resources[id]?.Type;
    const physical = this.ref(id);
    const { account, region } = this.stack;
    switch (`${type}.${attribute}`) {
      case 'AWS::DynamoDB::GlobalTable.Arn':
      case 'AWS::DynamoDB::Table.Arn':
        return (await this.table(id)).TableArn!;
      case 'AWS::DynamoDB::GlobalTable.StreamArn':
      case 'AWS::DynamoDB::Table.StreamArn':
        return (await this.table(id)).LatestStreamArn!;
      case 'AWS::SQS::Queue.Arn':
      case 'AWS::SQS::Queue.QueueName': {
        const { Attributes } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: physical, AttributeNames: ['QueueArn'] }));
        return attribute === 'Arn' ? Attributes!.QueueArn! : Attributes!.QueueArn!.split(':').pop()!;
      }
      case 'AWS::Lambda::Function.Arn': {
        const fn = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: physical }));
        return fn.FunctionArn!;
      }
      // The ARN formats AWS documents; the emulator has no read API the checks use for these.
      case 'AWS::KMS::Key.Arn':
        return `arn:aws:kms:${region}:${account}:key/${physical}`;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${account}:role/${physical}`;
      default:
        throw new Error(`${this.stack.stackName}: cannot resolve Fn::GetAtt ${id}.${attribute} (${type})`);
    }
  }

  private async checkTable(logicalId: string, type: string, props: any) {
    const table = await this.table(logicalId);
    const index = (i: any) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: { ProjectionType: i.Projection?.ProjectionType, NonKeyAttributes: [...(i.Projection?.NonKeyAttributes ?? [])].sort() },
    });
    const indexes = (list: any[] | undefined) => (list ?? []).map(index).sort((a, b) => a.IndexName.localeCompare(b.IndexName));
    const byName = (list: any[] | undefined) => [...(list ?? [])].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    for (const [property, value] of Object.entries<any>(props)) {
      switch (property) {
        case 'TableName':
          this.compare(logicalId, type, property, value, table.TableName);
          break;
        case 'KeySchema':
          this.compare(logicalId, type, property, value, table.KeySchema);
          break;
        case 'AttributeDefinitions':
          this.compare(logicalId, type, property, byName(value), byName(table.AttributeDefinitions));
          break;
        case 'BillingMode':
          this.compare(logicalId, type, property, value, table.BillingModeSummary?.BillingMode ?? 'PROVISIONED');
          break;
        case 'GlobalSecondaryIndexes':
          // Key schema and projection; per-index capacity settings are reported below with the table's.
          this.compare(logicalId, type, `${property} (names, key schemas, projections)`, indexes(value), indexes(table.GlobalSecondaryIndexes));
          break;
        case 'LocalSecondaryIndexes':
          this.compare(logicalId, type, property, indexes(value), indexes(table.LocalSecondaryIndexes));
          break;
        case 'StreamSpecification':
          this.compare(logicalId, type, `${property}.StreamViewType`, value.StreamViewType, table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined);
          break;
        case 'TimeToLiveSpecification': {
          const { TimeToLiveDescription } = await this.ddb.send(new DescribeTimeToLiveCommand({ TableName: table.TableName }));
          this.notModelled(logicalId, type, property, value,
            { AttributeName: TimeToLiveDescription?.AttributeName, Enabled: TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' });
          break;
        }
        case 'SSESpecification':
          this.notModelled(logicalId, type, property, value, table.SSEDescription);
          break;
        case 'WriteProvisionedThroughputSettings':
        case 'ReadProvisionedThroughputSettings':
          // The emulator provisions MinCapacity as fixed capacity; auto scaling (max, target) is not modelled.
          this.notModelled(logicalId, type, property, value, table.ProvisionedThroughput);
          break;
        case 'Replicas':
          for (const replica of value) {
            for (const [replicaProperty, replicaValue] of Object.entries<any>(replica)) {
              const name = `Replicas[${replica.Region}].${replicaProperty}`;
              if (replicaProperty === 'Region') {
                this.notModelled(logicalId, type, name, replicaValue, table.Replicas?.map((r) => r.RegionName));
              } else if (replicaProperty === 'DeletionProtectionEnabled') {
                this.notModelled(logicalId, type, name, replicaValue, table.DeletionProtectionEnabled);
              } else {
                this.notModelled(logicalId, type, name, await this.resolve(replicaValue), undefined);
              }
            }
          }
          break;
        default:
          this.add(logicalId, type, property, 'not read back', 'no check reads this property back');
      }
    }
  }

  private async checkMapping(logicalId: string, props: any) {
    const type = 'AWS::Lambda::EventSourceMapping';
    const mapping = await this.lambda.send(new GetEventSourceMappingCommand({ UUID: this.stack.physicalIds[logicalId] }));
    for (const [property, value] of Object.entries<any>(props)) {
      switch (property) {
        case 'FunctionName':
          this.compare(logicalId, type, property, await this.resolve(value), mapping.FunctionArn?.split(':function:')[1]?.split(':')[0]);
          break;
        case 'FilterCriteria':
          this.compare(logicalId, type, property,
            (value.Filters ?? []).map((f: any) => JSON.parse(f.Pattern)), (mapping.FilterCriteria?.Filters ?? []).map((f) => JSON.parse(f.Pattern!)));
          break;
        case 'BatchSize':
        case 'BisectBatchOnFunctionError':
        case 'DestinationConfig':
        case 'EventSourceArn':
        case 'FunctionResponseTypes':
        case 'MaximumBatchingWindowInSeconds':
        case 'MaximumRecordAgeInSeconds':
        case 'MaximumRetryAttempts':
        case 'ParallelizationFactor':
        case 'StartingPosition':
        case 'TumblingWindowInSeconds':
          this.compare(logicalId, type, property, await this.resolve(value), (mapping as any)[property]);
          break;
        default:
          this.add(logicalId, type, property, 'not read back', 'no check reads this property back');
      }
    }
  }

  private async checkFunction(logicalId: string, props: any) {
    const type = 'AWS::Lambda::Function';
    const fn = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: this.stack.physicalIds[logicalId] }));
    for (const [property, value] of Object.entries<any>(props)) {
      switch (property) {
        case 'Environment':
          this.compare(logicalId, type, property, await this.resolve(value.Variables ?? {}), fn.Environment?.Variables ?? {});
          break;
        case 'Architectures':
        case 'Description':
        case 'Handler':
        case 'MemorySize':
        case 'Role':
        case 'Runtime':
        case 'Timeout':
          this.compare(logicalId, type, property, await this.resolve(value), (fn as any)[property]);
          break;
        default:
          this.add(logicalId, type, property, 'not read back', property === 'Code' ? 'the code is judged by running it' : 'no check reads this property back');
      }
    }
  }

  private async checkQueue(logicalId: string, props: any) {
    const type = 'AWS::SQS::Queue';
    const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.stack.physicalIds[logicalId], AttributeNames: ['All'] }));
    for (const [property, value] of Object.entries<any>(props)) {
      const reported = Attributes[property as keyof typeof Attributes];
      if (['RedriveAllowPolicy', 'RedrivePolicy'].includes(property)) {
        this.compare(logicalId, type, property, await this.resolve(value), reported === undefined ? undefined : JSON.parse(reported));
      } else if (['KmsMasterKeyId', 'MessageRetentionPeriod', 'VisibilityTimeout', 'DelaySeconds', 'SqsManagedSseEnabled', 'FifoQueue'].includes(property)) {
        this.compare(logicalId, type, property, String(await this.resolve(value)), reported);
      } else {
        this.add(logicalId, type, property, 'not read back', 'no check reads this property back');
      }
    }
  }

  private async checkAlarm(logicalId: string, props: any) {
    const type = 'AWS::CloudWatch::Alarm';
    const { MetricAlarms = [] } = await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [this.stack.physicalIds[logicalId]] }));
    const alarm: any = MetricAlarms[0] ?? {};
    const byName = (list: any[] = []) => [...list].sort((a, b) => a.Name.localeCompare(b.Name));
    for (const [property, value] of Object.entries<any>(props)) {
      if (property === 'Dimensions') {
        this.compare(logicalId, type, property, byName(await this.resolve(value)), byName(alarm.Dimensions));
      } else if (['AlarmActions', 'OKActions', 'InsufficientDataActions', 'AlarmDescription', 'ComparisonOperator', 'EvaluationPeriods', 'DatapointsToAlarm',
        'MetricName', 'Namespace', 'Period', 'Statistic', 'Threshold', 'TreatMissingData', 'ActionsEnabled'].includes(property)) {
        this.compare(logicalId, type, property, await this.resolve(value), alarm[property]);
      } else {
        this.add(logicalId, type, property, 'not read back', 'no check reads this property back');
      }
    }
  }
}

/** Checks every stack of a deployed app; prints the findings, grouped by resource type and verdict. */
export async function compareApp(cdkOut: string, label: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const stack of await deployedStacks(cdkOut)) {
    const checker = new StackChecker(stack);
    try {
      await checker.checkAll();
    } finally {
      checker.destroy();
    }
    findings.push(...checker.findings);
  }
  printFindings(label, findings);
  return findings;
}

function printFindings(label: string, findings: Finding[]): void {
  console.log(`\n${label}: what the emulator reports against the template`);
  const types = [...new Set(findings.map((f) => f.type))].sort();
  for (const type of types) {
    const ofType = findings.filter((f) => f.type === type);
    const count = new Set(ofType.map((f) => `${f.stack}/${f.logicalId}`)).size;
    console.log(`  ${type} (${count})`);
    for (const verdict of ['honoured', 'DIFFERS', 'not modelled', 'not read back'] as Verdict[]) {
      const properties = [...new Set(ofType.filter((f) => f.verdict === verdict).map((f) => f.property))];
      if (properties.length > 0) {
        console.log(`    ${verdict}: ${properties.join(', ')}`);
      }
    }
    if (type === 'AWS::Lambda::EventSourceMapping') {
      console.log('    reported as deployed, but not acted on by the emulator\'s DynamoDB-stream poller:');
      STORED_NOT_ACTED_ON.forEach((line) => console.log(`      ${line}`));
    }
    for (const f of ofType.filter((x) => x.verdict === 'DIFFERS' || (x.verdict === 'not modelled' && x.detail))) {
      console.log(`      ${f.verdict === 'DIFFERS' ? 'DIFFERS' : 'not modelled'} ${f.stack}/${f.logicalId} ${f.property}: ${f.detail}`);
    }
  }
}

if (require.main === module) {
  const [cdkOut, label] = process.argv.slice(2);
  compareApp(cdkOut, label ?? cdkOut).then((findings) => {
    const differs = findings.filter((f) => f.verdict === 'DIFFERS');
    const honoured = findings.filter((f) => f.verdict === 'honoured');
    console.log(`  ${honoured.length} properties honoured, ${differs.length} differ, ${findings.filter((f) => f.verdict === 'not modelled').length} not modelled, ${findings.filter((f) => f.verdict === 'not read back').length} not read back`);
    if (differs.length > 0 || honoured.length === 0) {
      process.exit(1);
    }
  }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
