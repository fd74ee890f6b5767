import { Duration, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ITable, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { IdempotencyTable } from './idempotency-table';
import { ParkedRecordsTable } from './parked-records-table';
import { RedriveAfterDeploymentOptions } from './redrive';
import { createConsumerAlarms } from './stream-consumer-alarms';
import { TableStreamConsumerProps } from './stream-consumer-props';
import { createRedriveAfterDeployment } from './stream-consumer-redrive';
import { validateFilterKeys, validateProps, validateStream } from './stream-consumer-validation';
import { hostError, spellForHost } from '../private/host-language';
import { createLibraryKey, EncryptedResource } from '../private/kms-key';

/**
 * Connects a table's DynamoDB stream to a Lambda function, with what makes a consumer safe by default:
 * an event source mapping that starts at the oldest record, reports partial batch failures, bisects failing
 * batches and gives up after bounded retries; a dead-letter queue so that nothing given up on is lost; an
 * idempotency table for Powertools; and alarms on iterator age, dead letters, errors and throttles.
 *
 * @example
 * new TableStreamConsumer(this, 'OpenTaskCounter', { table: tasks, handler: counterFunction });
 */
export class TableStreamConsumer extends Construct {
  /** The environment variable the handler reads the idempotency table name from, unless `idempotencyTableEnvironmentVariable` says otherwise. */
  public static readonly IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE = 'IDEMPOTENCY_TABLE_NAME';

  /** The environment variable the handler reads the parked-records table name from. */
  public static readonly PARKED_RECORDS_TABLE_ENVIRONMENT_VARIABLE = 'PARKED_RECORDS_TABLE_NAME';

  /** The environment variable the handler reads the consumer's stable identity from. */
  public static readonly CONSUMER_ID_ENVIRONMENT_VARIABLE = 'STREAM_CONSUMER_ID';

  /** The CloudWatch namespace of the metrics the runtime helpers emit. */
  public static readonly METRIC_NAMESPACE = 'CdkDynamoDBBlueprints';

  /** The metric (Count) the runtime helpers emit for each parked record, with dimension `FunctionName`. */
  public static readonly PARKED_RECORDS_METRIC_NAME = 'ParkedRecords';

  /** The dead-letter queue of records the mapping gave up on. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The idempotency table, unless `idempotency` is off. */
  public readonly idempotencyTable?: IdempotencyTable;

  /** The parked-records table, unless `parkRecords` is off. */
  public readonly parkedRecordsTable?: ParkedRecordsTable;

  /** The consumer's stable identity (`consumerId`), which names its markers and parked records. */
  public readonly consumerId: string;

  /** The event source mapping's id. */
  public readonly eventSourceMappingId: string;

  /** The event source mapping's ARN. */
  public readonly eventSourceMappingArn: string;

  /** Alarms when the consumer falls behind. */
  public readonly iteratorAgeAlarm: cloudwatch.Alarm;

  /** Alarms when records were sent to the dead-letter queue. */
  public readonly deadLetterQueueAlarm: cloudwatch.Alarm;

  /** Alarms when the function fails invocations. */
  public readonly errorsAlarm: cloudwatch.Alarm;

  /** Alarms when the function is throttled. */
  public readonly throttlesAlarm: cloudwatch.Alarm;

  /** Alarms when the handler parks records, unless `parkRecords` is off. */
  public readonly parkedRecordsAlarm?: cloudwatch.Alarm;

  /** The five alarms (four without parking), for dashboards or more actions. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly handler: lambda.IFunction;
  private readonly table: ITable;
  private redriveResource?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: TableStreamConsumerProps) {
    super(scope, id);
    validateProps(props);
    this.handler = props.handler;
    this.table = props.table;
    validateStream(props.table, props.requiredStreamViewType ?? StreamViewType.NEW_AND_OLD_IMAGES);
    validateFilterKeys(props.table, props.filters ?? []);
    const environmentTarget = environmentTargetOf(props.handler, props.setHandlerEnvironment ?? true);

    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue();

    const source = new DynamoEventSource(props.table, {
      startingPosition: props.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? 100,
      maxBatchingWindow: props.maxBatchingWindow,
      bisectBatchOnError: props.bisectBatchOnError ?? true,
      retryAttempts: props.retryAttempts ?? 10,
      maxRecordAge: props.maxRecordAge ?? Duration.hours(1),
      parallelizationFactor: props.parallelizationFactor ?? 1,
      reportBatchItemFailures: true,
      filters: props.filters?.map((f) => f._render()),
      onFailure: new LeastPrivilegeSqsDestination(this.deadLetterQueue),
    });
    props.handler.addEventSource(source);
    this.eventSourceMappingId = source.eventSourceMappingId;
    this.eventSourceMappingArn = source.eventSourceMappingArn;

    if (props.idempotency ?? true) {
      this.idempotencyTable = props.idempotencyTable ?? new IdempotencyTable(this, 'IdempotencyTable');
      this.idempotencyTable.grantIdempotency(props.handler);
      const variable = props.idempotencyTableEnvironmentVariable ?? TableStreamConsumer.IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE;
      environmentTarget?.addEnvironment(variable, this.idempotencyTable.tableName);
    }
    if (props.parkRecords ?? true) {
      this.parkedRecordsTable = props.parkedRecordsTable ?? new ParkedRecordsTable(this, 'ParkedRecordsTable');
      this.parkedRecordsTable.grantParking(props.handler);
      environmentTarget?.addEnvironment(TableStreamConsumer.PARKED_RECORDS_TABLE_ENVIRONMENT_VARIABLE, this.parkedRecordsTable.tableName);
    }
    // The default must pass the runtime's check: a construct id may hold characters the keys do not take.
    this.consumerId = props.consumerId ?? this.node.path.replace(/[^A-Za-z0-9_./-]/g, '_');
    if (this.idempotencyTable || this.parkedRecordsTable) {
      environmentTarget?.addEnvironment(TableStreamConsumer.CONSUMER_ID_ENVIRONMENT_VARIABLE, this.consumerId);
      for (const shared of [this.idempotencyTable, this.parkedRecordsTable]) {
        if (shared) {
          claimConsumerId(shared, this);
        }
      }
    }
    this.node.addValidation({ validate: () => this.validateConsumerId(props.consumerId).map((message) => spellForHost(message)) });

    const alarms = createConsumerAlarms(this, props, this.deadLetterQueue, this.parkedRecordsTable && {
      namespace: TableStreamConsumer.METRIC_NAMESPACE,
      metricName: TableStreamConsumer.PARKED_RECORDS_METRIC_NAME,
    });
    this.iteratorAgeAlarm = alarms.iteratorAgeAlarm;
    this.deadLetterQueueAlarm = alarms.deadLetterQueueAlarm;
    this.errorsAlarm = alarms.errorsAlarm;
    this.throttlesAlarm = alarms.throttlesAlarm;
    this.parkedRecordsAlarm = alarms.parkedRecordsAlarm;
    this.alarms = alarms.alarms;
  }

  /**
   * Permits `grantee` (an operator's or a pipeline's role) to start a redrive: to invoke the consumer's
   * function (the alias or version it was given) with the event `{"redriveParkedRecords": {...}}`, as
   * `aws lambda invoke` does. The redrive runs inside the function, with the function's role, so nothing
   * else is needed.
   *
   * Note: to look at the parked records first, grant `parkedRecordsTable.grantReadData(grantee)`. The
   * `redrive` command of the CLI runs the handler in its own process instead: its credentials need what the
   * function's role has.
   *
   * @param grantee who starts redrives
   */
  public grantRedrive(grantee: iam.IGrantable): iam.Grant {
    this.requireParking('grantRedrive()');
    return this.handler.grantInvoke(grantee);
  }

  /**
   * Replays the parked records once the deployment has updated the consumer's function, and again whenever
   * a later deployment changes the function's code or configuration (or `keys`): deploy the fix of what
   * made the records fail, and the records are applied, in stream order per item key, each exactly once.
   *
   * A custom resource (`AwsCustomResource`, type `Custom::RedriveParkedRecords`) that depends on the
   * function invokes it asynchronously (`InvocationType: Event`) with `{"redriveParkedRecords": {...}}`.
   * The deployment neither waits for the redrive nor fails with it: a record that fails again stays parked
   * with the later records of its key, and the function logs it; the fix stays deployed. The function
   * must answer the redrive event (`createTransactionalStreamHandler` does).
   *
   * Note: for an imported function, whose code is unknown, the redrive runs when the custom resource is
   * created and when `keys` change.
   *
   * @param options which item keys to replay
   */
  public redriveAfterDeployment(options: RedriveAfterDeploymentOptions = {}): cr.AwsCustomResource {
    this.requireParking('redriveAfterDeployment()');
    if (this.redriveResource !== undefined) {
      throw hostError(`TableStreamConsumer ${this.node.path}: \`redriveAfterDeployment()\` is already called; one redrive runs per deployment: `
        + 'call it once, with every item key in `keys` (or none, for every parked key).');
    }
    this.redriveResource = createRedriveAfterDeployment(this, this.handler, this.table, options);
    return this.redriveResource;
  }

  /** Every problem of the consumer identity: its form, and another consumer of a shared table using it too. */
  private validateConsumerId(given: string | undefined): string[] {
    const problems: string[] = [];
    const where = `TableStreamConsumer ${this.node.path}: \`consumerId\``;
    if (given !== undefined && !Token.isUnresolved(given) && !/^[A-Za-z0-9_./-]{1,200}$/.test(given)) {
      problems.push(`${where} is '${given}'; it must be 1 to 200 letters, digits, '-', '_', '.' or '/' (no '#': it separates the parts of the keys): choose for example 'OpenTaskCounter'.`);
    }
    for (const shared of [this.idempotencyTable, this.parkedRecordsTable]) {
      const others = shared ? (CONSUMERS_OF.get(shared) ?? []).filter((c) => c !== this && c.consumerId === this.consumerId) : [];
      if (shared && others.length > 0) {
        problems.push(`${where} is '${this.consumerId}', and so is the identity of ${others.map((c) => c.node.path).join(', ')}, which shares the table ${shared.node.path}: `
          + 'each would read, redrive and skip the other\'s records. Give each consumer its own `consumerId`.');
      }
    }
    return problems;
  }

  private requireParking(method: string): void {
    if (this.parkedRecordsTable === undefined) {
      throw hostError(`TableStreamConsumer ${this.node.path}: \`${method}\` needs parked records, but \`parkRecords\` is false: `
        + 'turn `parkRecords` on (the handler must be a createTransactionalStreamHandler), or remove the call.');
    }
  }

  private createDeadLetterQueue(): sqs.Queue {
    const key = createLibraryKey(this, 'DeadLetterQueueKey', {
      description: `Encrypts the dead-letter queue of the stream consumer ${this.node.path}`,
      encrypts: EncryptedResource.SQS_QUEUE,
    });
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Declared a dead-letter queue (CT.SQS.PR.1). Its source is an event source mapping, not a queue,
      // so no source queue can be named: any queue of the account may redrive into it.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue itself: the on-failure destination of the DynamoDB stream event source mapping, which the rule does not recognise.',
    });
    return queue;
  }
}

/** The consumers of each idempotency or parked-records table, to refuse two with one identity. */
const CONSUMERS_OF = new WeakMap<Construct, TableStreamConsumer[]>();

function claimConsumerId(table: Construct, consumer: TableStreamConsumer): void {
  CONSUMERS_OF.set(table, [...(CONSUMERS_OF.get(table) ?? []), consumer]);
}

/**
 * The on-failure destination, granting only what sending to an SQS queue takes: `SqsDlq` grants the
 * queue key's `kms:ReEncrypt*` and `kms:GenerateDataKey*` wildcards as well.
 */
class LeastPrivilegeSqsDestination implements lambda.IEventSourceDlq {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    this.queue.grant(targetHandler, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
    this.queue.encryptionMasterKey?.grant(targetHandler, 'kms:GenerateDataKey', 'kms:Decrypt');
    return { destination: this.queue.queueArn };
  }
}

/** The function whose environment the consumer can set: the handler, or the function behind an alias or its current version. */
function environmentTargetOf(handler: lambda.IFunction, setEnvironment: boolean): lambda.Function | undefined {
  if (!setEnvironment) {
    return undefined;
  }
  const version = handler instanceof lambda.Alias ? handler.version : handler instanceof lambda.Version ? handler : undefined;
  const fn = version ? version.lambda : handler;
  const path = handler.node.path;
  const fix = 'set IDEMPOTENCY_TABLE_NAME and PARKED_RECORDS_TABLE_NAME where the function is defined (from the consumer\'s '
    + '`idempotencyTable.tableName` and `parkedRecordsTable.tableName`) and pass `setHandlerEnvironment: false`';
  if (!(fn instanceof lambda.Function)) {
    throw hostError(`\`handler\` ${path} is an imported function: the consumer cannot set its environment variables. To use it, ${fix}.`);
  }
  // `currentVersion` is published again whenever the function's configuration changes; any other version
  // keeps the environment it was published with and would never see the variables.
  if (version && !(version.node.scope === fn && version.node.id === 'CurrentVersion')) {
    throw hostError(`\`handler\` ${path} runs version ${version.node.path}, which was published by hand and would not get the consumer's `
      + `environment variables: point it at \`${fn.node.id}.currentVersion\` (republished when the environment changes), or ${fix}.`);
  }
  return fn;
}
