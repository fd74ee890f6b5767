import { CfnResource, Stack } from 'aws-cdk-lib';
import { BillingMode, ITable, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { tableDefinition, tableResourceOf } from './rendering';
import { KeyAttributeDefinition, TableResourceType } from './table-definition';

/** What can be read from a table's L1 resource when the table is defined in this app. */
export interface TableShape {
  /** The L1 resource, when the table is a construct of this app. */
  readonly resource?: CfnResource;
  /** Partition key and sort key names of the table. */
  readonly keyNames: string[];
  /** Partition key and sort key of the table, with their types. */
  readonly keyAttributes: KeyAttributeDefinition[];
  /** Names of the global and local secondary indexes. */
  readonly indexNames: string[];
  /** Names of global secondary indexes. */
  readonly globalIndexNames: string[];
  /** Key attribute names of every index. */
  readonly indexKeyNames: string[];
  /** Regions of replicas other than the stack's own. */
  readonly replicaRegions: string[];
  /** On-demand or provisioned, when known. */
  readonly billingMode?: BillingMode;
  /** Whether point-in-time recovery is on in the stack's region; undefined for an imported table. */
  readonly pointInTimeRecovery?: boolean;
  /** Maximum on-demand read and write request units of the table in the stack's region, when set. */
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
  /** The stream view type, for a table of this app with a stream. */
  readonly streamViewType?: StreamViewType;
}

/**
 * Keys, indexes, replicas, on-demand maxima and stream of a table defined in this app, read from its
 * `TableDefinition` (the same rendering and parsing the rule pack uses).
 * Imported tables (`fromTableArn`) have no L1 resource: everything is empty and callers take props instead.
 */
export function tableShape(table: ITable): TableShape {
  const child = tableResourceOf(table);
  if (child === undefined) {
    return { keyNames: [], keyAttributes: [], indexNames: [], globalIndexNames: [], indexKeyNames: [], replicaRegions: [] };
  }
  const definition = tableDefinition(child)!;
  const stack = Stack.of(child);
  const indexes = [...definition.globalSecondaryIndexes, ...definition.localSecondaryIndexes];
  const indexKeyNames = indexes.flatMap((i) => [i.partitionKey.name, i.sortKey?.name])
    .filter((n): n is string => n !== undefined);
  // A replica is in the stack's own region when it names it, or names it as `{ Ref: AWS::Region }`.
  const own = definition.resourceType === TableResourceType.TABLE
    ? 0
    : definition.replicas.findIndex((r) => r.inStackRegion || r.region === stack.region);
  const ownReplica = definition.replicas[own];
  return {
    resource: child,
    keyNames: [definition.partitionKey?.name, definition.sortKey?.name].filter((n): n is string => n !== undefined),
    keyAttributes: [definition.partitionKey, definition.sortKey].filter((k): k is KeyAttributeDefinition => k !== undefined),
    indexNames: indexes.map((i) => i.indexName),
    globalIndexNames: definition.globalSecondaryIndexes.map((i) => i.indexName),
    indexKeyNames: [...new Set(indexKeyNames)],
    replicaRegions: definition.replicas.filter((_, i) => i !== own).map((r) => r.region).filter((r): r is string => r !== undefined),
    billingMode: definition.billingMode,
    pointInTimeRecovery: ownReplica?.pointInTimeRecovery === true,
    maxReadRequestUnits: ownReplica?.maxReadRequestUnits ?? definition.maxReadRequestUnits,
    maxWriteRequestUnits: definition.maxWriteRequestUnits,
    streamViewType: definition.streamViewType,
  };
}
