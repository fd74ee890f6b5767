import { Duration, Token } from 'aws-cdk-lib';
import { ITable, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { TableStreamConsumerProps } from './stream-consumer-props';
import { StreamFilter } from './stream-filter';
import { tableKeyAttributes, tableStream } from './table-facts';
import { hostError } from '../private/host-language';

/** The longest a DynamoDB stream keeps a record. */
const STREAM_RETENTION = Duration.hours(24);
/** Lambda's limit on event filters per event source mapping. */
const MAX_FILTERS = 5;

/** Checks the consumer's props against Lambda's limits and each other; throws on the first problem. */
export function validateProps(props: TableStreamConsumerProps): void {
  integerInRange('batchSize', props.batchSize, 1, 10_000, 'Lambda takes 1 to 10,000 records per batch from a DynamoDB stream');
  integerInRange('retryAttempts', props.retryAttempts, 0, 10_000, 'retries must be bounded so that one failing record cannot block its shard for 24 hours');
  integerInRange('parallelizationFactor', props.parallelizationFactor, 1, 10, 'Lambda processes 1 to 10 batches per shard at a time');
  if (props.maxBatchingWindow !== undefined && !Token.isUnresolved(props.maxBatchingWindow.toSeconds())
    && props.maxBatchingWindow.toSeconds() > 300) {
    throw hostError(`\`maxBatchingWindow\` is ${props.maxBatchingWindow.toHumanString()}; Lambda allows at most 5 minutes: choose a shorter window.`);
  }
  if (props.maxRecordAge !== undefined && !Token.isUnresolved(props.maxRecordAge.toSeconds())) {
    const seconds = props.maxRecordAge.toSeconds();
    if (seconds < 60 || seconds > STREAM_RETENTION.toSeconds()) {
      throw hostError(`\`maxRecordAge\` is ${props.maxRecordAge.toHumanString()}; it must be between 1 minute and 24 hours (a DynamoDB stream keeps records 24 hours): choose for example \`Duration.hours(1)\`.`);
    }
  }
  if ((props.filters ?? []).length > MAX_FILTERS) {
    throw hostError(`\`filters\` has ${props.filters!.length} filters; an event source mapping takes at most ${MAX_FILTERS}: merge conditions into fewer filters with \`StreamFilter.of()\`.`);
  }
  if (props.idempotency === false && props.idempotencyTable !== undefined) {
    throw hostError('`idempotencyTable` is set but `idempotency` is false: remove `idempotencyTable`, or turn `idempotency` on.');
  }
  if (props.parkRecords === false && props.parkedRecordsTable !== undefined) {
    throw hostError('`parkedRecordsTable` is set but `parkRecords` is false: remove `parkedRecordsTable`, or turn `parkRecords` on.');
  }
  if (props.handler.role === undefined) {
    throw hostError(`\`handler\` ${props.handler.node.path} has no role, so the stream, the queue and the tables cannot be granted to it: `
      + 'import it with `Function.fromFunctionAttributes(scope, id, { functionArn, role })`.');
  }
  const env = props.idempotencyTableEnvironmentVariable;
  if (env !== undefined && !/^[a-zA-Z]\w*$/.test(env)) {
    throw hostError(`\`idempotencyTableEnvironmentVariable\` is '${env}'; an environment variable name starts with a letter and has only letters, digits and underscores: choose for example 'IDEMPOTENCY_TABLE_NAME'.`);
  }
  const t = props.alarmThresholds ?? {};
  const counts = [['deadLetterMessages', t.deadLetterMessages], ['errors', t.errors], ['throttles', t.throttles], ['parkedRecords', t.parkedRecords]] as const;
  for (const [name, value] of counts) {
    if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 1)) {
      throw hostError(`\`alarmThresholds.${name}\` is ${value}; it must be a whole number of at least 1.`);
    }
  }
  if (t.iteratorAge !== undefined && !Token.isUnresolved(t.iteratorAge.toMilliseconds()) && t.iteratorAge.toMilliseconds() <= 0) {
    throw hostError(`\`alarmThresholds.iteratorAge\` is ${t.iteratorAge.toHumanString()}; it must be longer than zero, for example \`Duration.minutes(5)\`.`);
  }
}

function integerInRange(prop: string, value: number | undefined, min: number, max: number, why: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw hostError(`\`${prop}\` is ${value}; it must be a whole number from ${min} to ${max} (${why}).`);
  }
}

/** Which images each stream view type carries. */
const IMAGES: Record<string, string[]> = {
  [StreamViewType.KEYS_ONLY]: [],
  [StreamViewType.NEW_IMAGE]: ['NewImage'],
  [StreamViewType.OLD_IMAGE]: ['OldImage'],
  [StreamViewType.NEW_AND_OLD_IMAGES]: ['NewImage', 'OldImage'],
};

/** Checks that the table has a stream carrying at least the images the consumer needs. */
export function validateStream(table: ITable, required: StreamViewType): void {
  const path = table.node.path;
  const stream = tableStream(table);
  if (!stream.defined) {
    // An imported table: only the presence of a stream ARN can be checked at synthesis.
    if (!table.tableStreamArn) {
      throw hostError(`\`table\` ${path} has no stream: give \`tableStreamArn\` when importing it, and make sure its stream carries ${required}.`);
    }
    return;
  }
  // TableV2 always exposes a stream ARN attribute, so the stream specification itself is checked.
  const viewType = stream.viewType;
  if (viewType === undefined) {
    throw hostError(`\`table\` ${path} has no stream: set \`dynamoStream: StreamViewType.${required}\` on the table.`);
  }
  const missing = IMAGES[required].filter((image) => !IMAGES[viewType].includes(image));
  if (missing.length > 0) {
    throw hostError(`\`table\` ${path} has a ${viewType} stream, but the consumer needs ${required} (\`requiredStreamViewType\`): records would have no ${missing.join(' and ')}. Set \`dynamoStream: StreamViewType.${required}\` on the table, or lower \`requiredStreamViewType\` if the handler does not read them.`);
  }
}

/**
 * A filter on a key attribute the table does not have matches no record, and the consumer then never runs:
 * check each filter's key conditions against the table's partition and sort key, case included.
 */
export function validateFilterKeys(table: ITable, filters: StreamFilter[]): void {
  const keyNames = tableKeyAttributes(table).map((k) => k.name);
  if (keyNames.length === 0) {
    // An imported table: its keys are not known at synthesis.
    return;
  }
  filters.forEach((filter, index) => {
    for (const attribute of filter._keyAttributes()) {
      if (keyNames.includes(attribute)) {
        continue;
      }
      const sameButCase = keyNames.find((k) => k.toLowerCase() === attribute.toLowerCase());
      const fix = sameButCase !== undefined
        ? `attribute names are case-sensitive: write '${sameButCase}'`
        : `condition on one of ${keyNames.map((k) => `'${k}'`).join(', ')}, or on \`dynamodb.NewImage\` with \`StreamFilter.fromPattern()\` for a non-key attribute`;
      throw hostError(`\`filters[${index}]\` (${filter._render().pattern}) has a condition on key attribute '${attribute}', which is not a key of the table `
        + `${table.node.path} (its keys: ${keyNames.join(', ')}): no record would match and the consumer would never run. Fix: ${fix}.`);
    }
  });
}
