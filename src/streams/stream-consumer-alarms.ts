import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TableStreamConsumerProps } from './stream-consumer-props';

/** The alarms of a stream consumer. */
export interface ConsumerAlarms {
  readonly iteratorAgeAlarm: cloudwatch.Alarm;
  readonly deadLetterQueueAlarm: cloudwatch.Alarm;
  readonly errorsAlarm: cloudwatch.Alarm;
  readonly throttlesAlarm: cloudwatch.Alarm;
  readonly parkedRecordsAlarm?: cloudwatch.Alarm;
  /** Every alarm above, in that order. */
  readonly alarms: cloudwatch.Alarm[];
}

/**
 * The consumer's alarms on iterator age, dead letters, errors and throttles, and on the parked-records metric
 * when the handler parks records, each with the consumer's alarm actions.
 */
export function createConsumerAlarms(
  consumer: Construct,
  props: TableStreamConsumerProps,
  deadLetterQueue: sqs.IQueue,
  parkedRecordsMetric: { readonly namespace: string; readonly metricName: string } | undefined,
): ConsumerAlarms {
  const thresholds = props.alarmThresholds ?? {};
  const actions = [...(props.alarmTopic ? [new SnsAction(props.alarmTopic)] : []), ...(props.alarmActions ?? [])];
  const alarms: cloudwatch.Alarm[] = [];
  // Every consumer alarm fires on the first breach and stays quiet while the metric is absent.
  const alarm = (alarmId: string, metric: cloudwatch.Metric, alarmDescription: string, threshold: number) => {
    const created = metric.createAlarm(consumer, alarmId, {
      alarmDescription,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(...actions);
    alarms.push(created);
    return created;
  };
  const handlerPath = props.handler.node.path;
  const iteratorAgeAlarm = alarm('IteratorAgeAlarm',
    props.handler.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
    `The stream consumer ${handlerPath} is falling behind the table's writes.`,
    (thresholds.iteratorAge ?? Duration.minutes(5)).toMilliseconds());
  const deadLetterQueueAlarm = alarm('DeadLetterQueueAlarm',
    deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
    `Stream records that ${handlerPath} could not process are waiting in the dead-letter queue.`,
    thresholds.deadLetterMessages ?? 1);
  const errorsAlarm = alarm('ErrorsAlarm',
    props.handler.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
    `The stream consumer ${handlerPath} failed invocations.`,
    thresholds.errors ?? 1);
  const throttlesAlarm = alarm('ThrottlesAlarm',
    props.handler.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
    `The stream consumer ${handlerPath} was throttled.`,
    thresholds.throttles ?? 1);
  // The runtime names the function as Lambda does (AWS_LAMBDA_FUNCTION_NAME): never an alias or version.
  const parkedRecordsAlarm = parkedRecordsMetric === undefined ? undefined : alarm('ParkedRecordsAlarm',
    new cloudwatch.Metric({
      namespace: parkedRecordsMetric.namespace,
      metricName: parkedRecordsMetric.metricName,
      dimensionsMap: { FunctionName: functionNameOf(props.handler) },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    `The stream consumer ${handlerPath} parked records it could not apply: redrive them once the cause is fixed.`,
    thresholds.parkedRecords ?? 1);
  return { iteratorAgeAlarm, deadLetterQueueAlarm, errorsAlarm, throttlesAlarm, parkedRecordsAlarm, alarms };
}

/** The function name Lambda gives the runtime (`AWS_LAMBDA_FUNCTION_NAME`): the function's, for an alias or version too. */
function functionNameOf(handler: lambda.IFunction): string {
  if (handler instanceof lambda.Alias) {
    return handler.version.lambda.functionName;
  }
  if (handler instanceof lambda.Version) {
    return handler.lambda.functionName;
  }
  return handler.functionName;
}
