import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import { renderResource, tableDefinition } from '../nag/resources';

/** What can be read from a table's L1 resource when the table is defined in this app. */
export interface TableShape {
  /** The L1 resource, when the table is a construct of this app. */
  readonly resource?: CfnResource;
  /** Partition key and sort key names of the table. */
  readonly keyNames: string[];
  /** Names of the global and local secondary indexes. */
  readonly indexNames: string[];
  /** Names of global secondary indexes. */
  readonly globalIndexNames: string[];
  /** Key attribute names of every index. */
  readonly indexKeyNames: string[];
  /** Regions of replicas other than the stack's own. */
  readonly replicaRegions: string[];
  /** PAY_PER_REQUEST or PROVISIONED, when known. */
  readonly billingMode?: string;
  /** Whether point-in-time recovery is on in the stack's region; undefined for an imported table. */
  readonly pointInTimeRecovery?: boolean;
  /** Maximum on-demand read and write request units of the table, when set. */
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

/**
 * Reads keys, indexes and replicas from the L1 resource of a table defined in this app, through the
 * same rendering and `TableDefinitions` parsing the rule pack uses.
 * Imported tables (`fromTableArn`) have no L1 resource: everything is empty and callers take props instead.
 */
export function tableShape(table: ITable): TableShape {
  const child = table.node.defaultChild;
  if (!(child instanceof CfnGlobalTable) && !(child instanceof CfnTable)) {
    return { keyNames: [], indexNames: [], globalIndexNames: [], indexKeyNames: [], replicaRegions: [] };
  }
  const definition = tableDefinition(child)!;
  const properties = renderResource(child).properties;
  const stack = Stack.of(child);
  // The stack's own region, as a replica of a region-agnostic stack names it too.
  const ownRegions = [stack.region, JSON.stringify(stack.resolve(stack.region))];
  const indexes = [...definition.globalSecondaryIndexes, ...definition.localSecondaryIndexes];
  const indexKeyNames = indexes.flatMap((i) => [i.partitionKey.name, i.sortKey?.name])
    .filter((n): n is string => n !== undefined);

  let replicaRegions: string[] = [];
  let pointInTimeRecovery: boolean;
  let onDemand: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
  if (child instanceof CfnGlobalTable) {
    replicaRegions = definition.replicas.map((r) => r.region).filter((r) => !ownRegions.includes(r));
    const own = definition.replicas.findIndex((r) => ownRegions.includes(r.region));
    pointInTimeRecovery = definition.replicas[own]?.pointInTimeRecovery === true;
    // TableV2 renders the read maximum on each replica, the write maximum on the table.
    const readSettings = properties.ReadOnDemandThroughputSettings ?? properties.Replicas?.[own]?.ReadOnDemandThroughputSettings;
    onDemand = {
      MaxReadRequestUnits: readSettings?.MaxReadRequestUnits,
      MaxWriteRequestUnits: properties.WriteOnDemandThroughputSettings?.MaxWriteRequestUnits,
    };
  } else {
    pointInTimeRecovery = definition.replicas[0].pointInTimeRecovery;
    onDemand = properties.OnDemandThroughput ?? {};
  }
  return {
    resource: child,
    keyNames: [definition.partitionKey.name, definition.sortKey?.name].filter((n): n is string => n !== undefined),
    indexNames: indexes.map((i) => i.indexName),
    globalIndexNames: definition.globalSecondaryIndexes.map((i) => i.indexName),
    indexKeyNames: [...new Set(indexKeyNames)],
    replicaRegions,
    billingMode: definition.billingMode,
    pointInTimeRecovery,
    maxReadRequestUnits: onDemand.MaxReadRequestUnits,
    maxWriteRequestUnits: onDemand.MaxWriteRequestUnits,
  };
}
