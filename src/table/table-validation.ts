import { Stack, Token } from 'aws-cdk-lib';
import {
  Attribute,
  AttributeType,
  BillingMode,
  Capacity,
  CapacityMode,
  CfnGlobalTable,
  GlobalSecondaryIndexPropsV2,
  LocalSecondaryIndexProps,
  MultiRegionConsistency,
  PointInTimeRecoverySpecification,
  ProjectionType,
  ReplicaTableProps,
  StreamViewType,
  TableEncryption,
  TableEncryptionV2,
  TableV2MultiAccountReplicaProps,
  TablePropsV2,
  WarmThroughput,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IndexProjection } from './projection';
import { MAX_PROJECTED_ATTRIBUTES, MAX_RECOVERY_PERIOD_DAYS } from '../private/limits';

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const KEY_TYPES: string[] = [AttributeType.STRING, AttributeType.NUMBER, AttributeType.BINARY];

/** A global secondary index as the user gave it, and where. */
export interface GlobalIndexRecord {
  readonly where: string;
  readonly props: GlobalSecondaryIndexPropsV2;
  readonly projection?: IndexProjection;
  /** A `projection` field on a TableV2-typed struct, which jsii never carries. */
  readonly strayProjection?: boolean;
}

/** A local secondary index as the user gave it, and where. */
export interface LocalIndexRecord {
  readonly where: string;
  readonly props: LocalSecondaryIndexProps;
  readonly projection?: IndexProjection;
  /** A `projection` field on a TableV2-typed struct, which jsii never carries. */
  readonly strayProjection?: boolean;
}

/** A replica as the user gave it, and where. */
export interface ReplicaRecord {
  readonly where: string;
  readonly props: ReplicaTableProps;
}

/** Everything the checks read: the user's input, never a normalized copy of it. */
export interface TableState {
  readonly props: TablePropsV2;
  readonly globalIndexes: GlobalIndexRecord[];
  readonly localIndexes: LocalIndexRecord[];
  readonly replicas: ReplicaRecord[];
}

/**
 * Every problem of the table's final state, one message each (CDK prefixes each with the construct path).
 *
 * Checks that TableV2 already makes (duplicate index names, attribute type conflicts, index counts, a
 * replica in the stack region, capacity on an on-demand table...) are left to TableV2.
 */
export function validateBlueprintTable(table: Construct, state: TableState): string[] {
  const errors: string[] = [];
  const add = (message: string | undefined) => {
    if (message !== undefined) {
      errors.push(message);
    }
  };
  const { props } = state;

  add(checkKey('partitionKey', props.partitionKey));
  if (props.sortKey !== undefined) {
    add(checkKey('sortKey', props.sortKey));
    if (props.sortKey.name === props.partitionKey?.name) {
      add(`\`sortKey\` and \`partitionKey\` are both '${props.sortKey.name}': the sort key must be a different attribute (for example PK and SK).`);
    }
  }
  add(checkName('tableName', props.tableName));
  checkWarmThroughput('warmThroughput', props.warmThroughput).forEach(add);
  checkBothSpellings(props, '').forEach(add);

  checkIndexes(state).forEach(add);
  checkTimeToLive(state).forEach(add);
  checkReplicas(table, state).forEach(add);
  checkRenderedCapacity(table).forEach(add);
  return errors;
}

function checkKey(prop: string, key: Attribute | undefined): string | undefined {
  if (key === undefined || key === null || typeof key !== 'object') {
    return `\`${prop}\` is required: give it a name and a type, for example \`{ name: 'PK', type: AttributeType.STRING }\`.`;
  }
  if (typeof key.name !== 'string' || key.name.length === 0 || key.name.length > 255) {
    return `\`${prop}.name\` is ${JSON.stringify(key.name)}: a key attribute name must be 1 to 255 characters long.`;
  }
  if (!KEY_TYPES.includes(key.type as string)) {
    return `\`${prop}.type\` of '${key.name}' is ${JSON.stringify(key.type)}: a key attribute must be AttributeType.STRING ('S'), AttributeType.NUMBER ('N') or AttributeType.BINARY ('B'); store anything else (maps, lists, booleans) as a non-key attribute.`;
  }
  return undefined;
}

export function checkName(prop: string, name: string | undefined): string | undefined {
  if (name === undefined || Token.isUnresolved(name)) {
    return undefined;
  }
  if (name.length < 3 || name.length > 255 || !NAME_PATTERN.test(name)) {
    return `\`${prop}\` is '${name}': DynamoDB names must be 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'. Rename it, for example 'app-env-entity'.`;
  }
  return undefined;
}

function checkPositiveInteger(prop: string, value: number | undefined): string | undefined {
  if (value === undefined || Token.isUnresolved(value)) {
    return undefined;
  }
  if (!Number.isInteger(value) || value < 1) {
    return `\`${prop}\` is ${value}: it must be a whole number of at least 1.`;
  }
  return undefined;
}

function checkWarmThroughput(prop: string, warm: WarmThroughput | undefined): string[] {
  if (warm === undefined) {
    return [];
  }
  return [
    checkPositiveInteger(`${prop}.readUnitsPerSecond`, warm.readUnitsPerSecond),
    checkPositiveInteger(`${prop}.writeUnitsPerSecond`, warm.writeUnitsPerSecond),
  ].filter((m): m is string => m !== undefined);
}

function checkFixed(prop: string, capacity: Capacity | undefined): string | undefined {
  if (capacity?.mode !== CapacityMode.FIXED) {
    return undefined;
  }
  return `\`${prop}\` is \`Capacity.fixed()\`: fixed provisioned capacity throttles as soon as traffic exceeds it. Use \`Capacity.autoscaled({ minCapacity, maxCapacity })\` (target utilization 70% unless set), or \`Billing.onDemand()\`.`;
}

/** `pointInTimeRecovery`/`contributorInsights` next to their specifications, on the table or a replica. */
export function checkBothSpellings(
  options: {
    pointInTimeRecovery?: boolean;
    pointInTimeRecoverySpecification?: PointInTimeRecoverySpecification;
    contributorInsights?: boolean;
    contributorInsightsSpecification?: unknown;
  },
  prefix: string,
): string[] {
  const errors: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (options.pointInTimeRecovery !== undefined && options.pointInTimeRecoverySpecification !== undefined) {
    errors.push(`\`${prefix}pointInTimeRecovery\` and \`${prefix}pointInTimeRecoverySpecification\` are both set: set only \`${prefix}pointInTimeRecoverySpecification\`.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (options.contributorInsights !== undefined && options.contributorInsightsSpecification !== undefined) {
    errors.push(`\`${prefix}contributorInsights\` and \`${prefix}contributorInsightsSpecification\` are both set: set only \`${prefix}contributorInsightsSpecification\`.`);
  }
  return errors;
}

function indexKeys(props: GlobalSecondaryIndexPropsV2): Array<{ prop: string; key: Attribute }> {
  const keys: Array<{ prop: string; key: Attribute }> = [];
  if (props.partitionKey !== undefined) {
    keys.push({ prop: 'partitionKey', key: props.partitionKey });
  }
  (props.partitionKeys ?? []).forEach((key, i) => keys.push({ prop: `partitionKeys[${i}]`, key }));
  if (props.sortKey !== undefined) {
    keys.push({ prop: 'sortKey', key: props.sortKey });
  }
  (props.sortKeys ?? []).forEach((key, i) => keys.push({ prop: `sortKeys[${i}]`, key }));
  return keys;
}

function checkIndexes(state: TableState): string[] {
  const { props } = state;
  const errors: string[] = [];
  const tableKeys = [props.partitionKey?.name, props.sortKey?.name].filter((n): n is string => n !== undefined);
  let projected = 0;

  const checkIndex = (
    kind: 'Global' | 'Local',
    where: string,
    index: GlobalSecondaryIndexPropsV2 | LocalSecondaryIndexProps,
    projection: IndexProjection | undefined,
    stray: boolean | undefined,
    keys: Array<{ prop: string; key: Attribute }>,
  ) => {
    const label = `\`${where}\` (${index.indexName})`;
    if (stray) {
      errors.push(`${label} has a \`projection\`, which TableV2's index struct does not carry (from Python, Java, .NET or Go it never arrives): move the index to \`blueprint${kind}SecondaryIndexes\` or add it with \`addBlueprint${kind}SecondaryIndex()\`, or use \`projectionType\`/\`nonKeyAttributes\`.`);
    }
    const name = checkName(`${where}.indexName`, index.indexName);
    if (name !== undefined) {
      errors.push(name);
    }
    for (const { prop, key } of keys) {
      const problem = checkKey(`${where}.${prop}`, key);
      if (problem !== undefined) {
        errors.push(problem);
      }
    }
    let attributes: string[];
    if (projection !== undefined) {
      if (index.projectionType !== undefined || index.nonKeyAttributes !== undefined) {
        errors.push(`${label} sets both \`projection\` and \`projectionType\`/\`nonKeyAttributes\`: use only \`projection\`, for example \`IndexProjection.include(['title', 'status'])\`.`);
      }
      attributes = projection.nonKeyAttributes;
    } else {
      const type = index.projectionType ?? ProjectionType.INCLUDE;
      attributes = index.nonKeyAttributes ?? [];
      if (type === ProjectionType.INCLUDE && attributes.length === 0) {
        errors.push(`${label} projects INCLUDE (${index.projectionType === undefined ? 'the default' : 'projectionType'}) but names no attributes: set \`projection: IndexProjection.include([...])\` (or \`nonKeyAttributes\`) with exactly the attributes your queries on this index return, or choose \`IndexProjection.keysOnly()\` or \`IndexProjection.all()\` explicitly.`);
      }
      const seen = new Set<string>();
      for (const attribute of attributes) {
        if (typeof attribute !== 'string' || attribute.length === 0) {
          errors.push(`${label} lists ${JSON.stringify(attribute)} in \`nonKeyAttributes\`: every attribute name must be a non-empty string.`);
        } else if (seen.has(attribute)) {
          errors.push(`${label} lists '${attribute}' twice in \`nonKeyAttributes\`: list each attribute once.`);
        }
        seen.add(attribute);
      }
    }
    const keyNames = [...tableKeys, ...keys.map((k) => k.key?.name)];
    for (const attribute of attributes) {
      if (keyNames.includes(attribute)) {
        errors.push(`${label} lists the key attribute '${attribute}' in its projection: key attributes are always projected. Remove it from the included attributes.`);
      }
    }
    projected += attributes.length;
  };

  for (const { where, props: gsi, projection, strayProjection } of state.globalIndexes) {
    checkIndex('Global', where, gsi, projection, strayProjection, indexKeys(gsi));
    [
      checkFixed(`${where}.readCapacity`, gsi.readCapacity),
      checkPositiveInteger(`${where}.maxReadRequestUnits`, gsi.maxReadRequestUnits),
      checkPositiveInteger(`${where}.maxWriteRequestUnits`, gsi.maxWriteRequestUnits),
      ...checkWarmThroughput(`${where}.warmThroughput`, gsi.warmThroughput),
    ].forEach((m) => m !== undefined && errors.push(m));
  }
  for (const { where, props: lsi, projection, strayProjection } of state.localIndexes) {
    checkIndex('Local', where, lsi, projection, strayProjection, [{ prop: 'sortKey', key: lsi.sortKey }]);
    if (lsi.sortKey?.name !== undefined && lsi.sortKey.name === props.sortKey?.name) {
      errors.push(`\`${where}.sortKey\` is '${lsi.sortKey.name}', the table's own sort key: a local secondary index must sort by a different attribute.`);
    }
  }
  if (projected > MAX_PROJECTED_ATTRIBUTES) {
    errors.push(`The secondary indexes project ${projected} non-key attributes in all: DynamoDB allows at most ${MAX_PROJECTED_ATTRIBUTES} across all indexes of a table, an attribute projected into two indexes counting twice. Project fewer attributes, or use \`IndexProjection.all()\` for the index that needs most of them.`);
  }
  return errors;
}

function checkTimeToLive(state: TableState): string[] {
  const { props } = state;
  const ttl = props.timeToLiveAttribute;
  if (ttl === undefined || Token.isUnresolved(ttl)) {
    return [];
  }
  if (ttl.length === 0 || ttl.length > 255) {
    return [`\`timeToLiveAttribute\` is ${JSON.stringify(ttl)}: an attribute name must be 1 to 255 characters long.`];
  }
  if (ttl === props.partitionKey?.name || ttl === props.sortKey?.name) {
    return [`\`timeToLiveAttribute\` is '${ttl}', a key of the table: the time-to-live attribute must be a separate Number attribute holding epoch seconds, for example 'expiresAt'.`];
  }
  const keys = [
    ...state.globalIndexes.flatMap((g) => indexKeys(g.props).map((k) => k.key)),
    ...state.localIndexes.map((l) => l.props.sortKey),
  ];
  const clash = keys.find((k) => k !== undefined && k.name === ttl && k.type !== AttributeType.NUMBER);
  if (clash !== undefined) {
    return [`\`timeToLiveAttribute\` is '${ttl}', which an index declares as type ${clash.type}: DynamoDB only expires items whose time-to-live attribute is a Number of epoch seconds.`];
  }
  return [];
}

export function checkReplicaRecovery(prefix: string, spec: PointInTimeRecoverySpecification | undefined): string[] {
  const days = spec?.recoveryPeriodInDays;
  if (days === undefined || Token.isUnresolved(days)) {
    return [];
  }
  if (!spec!.pointInTimeRecoveryEnabled) {
    return [`\`${prefix}pointInTimeRecoverySpecification.recoveryPeriodInDays\` is ${days} while \`pointInTimeRecoveryEnabled\` is false: enable point-in-time recovery or drop the recovery period.`];
  }
  if (!Number.isInteger(days) || days < 1 || days > MAX_RECOVERY_PERIOD_DAYS) {
    return [`\`${prefix}pointInTimeRecoverySpecification.recoveryPeriodInDays\` is ${days}: it must be a whole number of days from 1 to ${MAX_RECOVERY_PERIOD_DAYS}.`];
  }
  return [];
}

function checkReplicas(table: Construct, state: TableState): string[] {
  const { props, replicas } = state;
  const errors: string[] = [];
  for (const { where, props: replica } of replicas) {
    if (!Token.isUnresolved(replica.region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(replica.region)) {
      errors.push(`\`${where}.region\` is '${replica.region}', which is not an AWS region name such as 'eu-west-1'.`);
    }
    errors.push(...checkBothSpellings(replica, `${where}.`));
    errors.push(...checkReplicaRecovery(`${where}.`, replica.pointInTimeRecoverySpecification));
    const fixed = checkFixed(`${where}.readCapacity`, replica.readCapacity);
    if (fixed !== undefined) {
      errors.push(fixed);
    }
    const max = checkPositiveInteger(`${where}.maxReadRequestUnits`, replica.maxReadRequestUnits);
    if (max !== undefined) {
      errors.push(max);
    }
    for (const [indexName, options] of Object.entries(replica.globalSecondaryIndexOptions ?? {})) {
      const prefix = `${where}.globalSecondaryIndexOptions.${indexName}`;
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      if (options.contributorInsights !== undefined && options.contributorInsightsSpecification !== undefined) {
        errors.push(`\`${prefix}.contributorInsights\` and \`${prefix}.contributorInsightsSpecification\` are both set: set only \`${prefix}.contributorInsightsSpecification\`.`);
      }
      [checkFixed(`${prefix}.readCapacity`, options.readCapacity), checkPositiveInteger(`${prefix}.maxReadRequestUnits`, options.maxReadRequestUnits)]
        .forEach((m) => m !== undefined && errors.push(m));
    }
  }
  const regions = replicas.map((r) => r.props.region);
  if (regions.length > 0) {
    const strong = props.multiRegionConsistency === MultiRegionConsistency.STRONG;
    if (!strong && props.dynamoStream !== undefined && props.dynamoStream !== StreamViewType.NEW_AND_OLD_IMAGES) {
      errors.push(`\`dynamoStream\` is ${props.dynamoStream}, but a table with \`replicas\` replicates through a NEW_AND_OLD_IMAGES stream: set StreamViewType.NEW_AND_OLD_IMAGES or leave \`dynamoStream\` unset.`);
    }
    if (props.encryption === undefined) {
      errors.push(`\`encryption\` is not set on a table with replicas in ${regions.join(', ')}: a KMS key lives in one region, so each replica needs its own. Pass \`TableEncryptionV2.customerManagedKey(key, { '${regions[0]}': '<key ARN in ${regions[0]}>' })\` with a key for every replica region, or choose \`TableEncryptionV2.awsManagedKey()\` explicitly.`);
    }
  }
  if (props.encryption?.type === TableEncryption.CUSTOMER_MANAGED) {
    const arns = props.encryption.replicaKeyArns ?? {};
    const stackRegion = Stack.of(table).region;
    // A replica region without a key ARN: `replicaKeyProblem`, checked when the replica is added.
    const extra = Object.keys(arns).filter((r) => !regions.includes(r) && r !== stackRegion);
    if (extra.length > 0) {
      errors.push(`\`encryption\` names key ARNs for ${extra.join(', ')}, which ${regions.length === 0 ? 'the table has no replicas in' : `are not replica regions (${regions.join(', ')})`}: remove them or add the replicas.`);
    }
  }
  return errors;
}

/**
 * The replica regions of a table with a customer-managed key that has no key ARN for them, as a message.
 *
 * Checked when the replicas are added rather than in the construct's validation: aws-cdk-lib renders
 * the replicas while preparing the app (resolving references), before any validation runs, and its
 * own error would come first.
 */
export function replicaKeyProblem(stack: Stack, encryption: TableEncryptionV2 | undefined, replicaRegions: string[]): string | undefined {
  if (encryption?.type !== TableEncryption.CUSTOMER_MANAGED) {
    return undefined;
  }
  const arns = encryption.replicaKeyArns ?? {};
  const missing = replicaRegions.filter((r) => !Token.isUnresolved(r) && r !== stack.region && arns[r] === undefined);
  if (missing.length === 0) {
    return undefined;
  }
  return `\`encryption\` is a customer-managed key with no key ARN for the replica region(s) ${missing.join(', ')}: a KMS key lives in one region, `
    + `so each replica needs the ARN of a key in its own region. Pass \`TableEncryptionV2.customerManagedKey(key, { ${missing.map((r) => `'${r}': '<key ARN in ${r}>'`).join(', ')} })\` `
    + `(the stack region${Token.isUnresolved(stack.region) ? '' : ` ${stack.region}`} uses \`key\` itself), or remove those replicas.`;
}

/**
 * Checks read from the rendered `AWS::DynamoDB::GlobalTable` (public L1 properties), because
 * `Billing` exposes only its mode: fixed read capacity on the table, the on-demand maximums, and a
 * warning when an index can scale writes to less than the table.
 */
function checkRenderedCapacity(table: Construct): string[] {
  const errors: string[] = [];
  const stack = Stack.of(table);
  const cfn = table.node.defaultChild as CfnGlobalTable;

  const maxWrite = (cfn.writeOnDemandThroughputSettings as CfnGlobalTable.WriteOnDemandThroughputSettingsProperty | undefined)?.maxWriteRequestUnits;
  const maxWriteProblem = checkPositiveInteger('billing: Billing.onDemand({ maxWriteRequestUnits })', maxWrite);
  if (maxWriteProblem !== undefined) {
    errors.push(maxWriteProblem);
  }

  const replicas: any[] = stack.resolve(cfn.replicas);
  const stackRegion = JSON.stringify(stack.resolve(stack.region));
  const own = replicas.find((r) => JSON.stringify(r.region) === stackRegion);
  const units = own?.readProvisionedThroughputSettings?.readCapacityUnits;
  if (units !== undefined) {
    errors.push(`\`billing\` sets \`readCapacity\` to \`Capacity.fixed(${units})\`: fixed provisioned capacity throttles as soon as traffic exceeds it. Use \`Capacity.autoscaled({ minCapacity, maxCapacity })\` (target utilization 70% unless set), or \`Billing.onDemand()\`.`);
  }
  const maxRead = checkPositiveInteger('billing: Billing.onDemand({ maxReadRequestUnits })', own?.readOnDemandThroughputSettings?.maxReadRequestUnits);
  if (maxRead !== undefined) {
    errors.push(maxRead);
  }

  return errors;
}

/**
 * Warnings for an index whose write auto scaling stops below the table's: when the index cannot keep
 * up, DynamoDB throttles writes to the table itself.
 */
export function indexWriteCapacityWarnings(table: Construct, state: TableState): string[] {
  if ((state.props.billing?.mode ?? BillingMode.PAY_PER_REQUEST) !== BillingMode.PROVISIONED) {
    return [];
  }
  const stack = Stack.of(table);
  const cfn = table.node.defaultChild as CfnGlobalTable;
  const tableMax = stack.resolve(cfn.writeProvisionedThroughputSettings)?.writeCapacityAutoScalingSettings?.maxCapacity;
  const gsis: any[] = stack.resolve(cfn.globalSecondaryIndexes) ?? [];
  const warnings: string[] = [];
  for (const gsi of gsis) {
    const indexMax = gsi.writeProvisionedThroughputSettings?.writeCapacityAutoScalingSettings?.maxCapacity;
    if (typeof tableMax === 'number' && typeof indexMax === 'number' && indexMax < tableMax) {
      warnings.push(`Index ${gsi.indexName} can scale writes to ${indexMax} units, below the table's ${tableMax}: when the index cannot keep up, DynamoDB throttles writes to the table itself. Raise its \`maxCapacity\` or leave \`writeCapacity\` unset to inherit the table's.`);
    }
  }
  return warnings;
}

/** What the checks of a multi-account replica read. */
export interface MultiAccountReplicaState {
  /** The props as the user gave them. */
  readonly props: TableV2MultiAccountReplicaProps;
  /** The source table's name, which the replica's resource takes. */
  readonly sourceTableName: string;
}

/**
 * Every problem of a multi-account replica, one message each (CDK prefixes each with the construct path).
 *
 * Checks that TableV2MultiAccountReplica already makes (a source table is given, another account,
 * another region) are left to it.
 */
export function validateMultiAccountReplica(state: MultiAccountReplicaState): string[] {
  const { props, sourceTableName } = state;
  const errors: string[] = [];
  const name = checkName('tableName', props.tableName);
  if (name !== undefined) {
    errors.push(name);
  }
  if (name === undefined && props.tableName !== undefined && !Token.isUnresolved(props.tableName)
    && !Token.isUnresolved(sourceTableName) && props.tableName !== sourceTableName) {
    errors.push(`\`tableName\` is '${props.tableName}', but a replica has its source table's name, '${sourceTableName}' (the resource is created with it whatever this prop says, and references to this replica from other accounts would use the wrong name): remove \`tableName\` or set it to '${sourceTableName}'.`);
  }
  errors.push(...checkBothSpellings(props, ''));
  errors.push(...checkReplicaRecovery('', props.pointInTimeRecoverySpecification));
  return errors;
}
