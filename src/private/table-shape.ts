import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';

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

interface RawIndex {
  readonly indexName?: string;
  readonly keySchema?: Array<{ attributeName?: string }>;
}

/**
 * Reads keys, indexes and replicas from the L1 resource of a table defined in this app.
 * Imported tables (`fromTableArn`) have no L1 resource: everything is empty and callers take props instead.
 */
export function tableShape(table: ITable): TableShape {
  const child = table.node.defaultChild;
  if (!(child instanceof CfnGlobalTable) && !(child instanceof CfnTable)) {
    return { keyNames: [], indexNames: [], globalIndexNames: [], indexKeyNames: [], replicaRegions: [] };
  }
  const stack = Stack.of(child);
  const resolve = <T>(value: unknown): T | undefined => {
    const resolved = stack.resolve(value);
    return resolved === undefined || resolved === null ? undefined : resolved as T;
  };
  const keyNames = (resolve<Array<{ attributeName: string }>>(child.keySchema) ?? []).map((k) => k.attributeName);
  const gsis = resolve<RawIndex[]>(child.globalSecondaryIndexes) ?? [];
  const lsis = resolve<RawIndex[]>(child.localSecondaryIndexes) ?? [];
  const names = (list: RawIndex[]) => list.map((i) => i.indexName).filter((n): n is string => typeof n === 'string');
  const indexKeyNames = [...gsis, ...lsis]
    .flatMap((i) => (i.keySchema ?? []).map((k) => k.attributeName))
    .filter((n): n is string => typeof n === 'string');

  let replicaRegions: string[] = [];
  let pitr: { pointInTimeRecoveryEnabled?: boolean } = {};
  let maxRead: number | undefined;
  let maxWrite: number | undefined;
  if (child instanceof CfnGlobalTable) {
    const replicas = resolve<Array<{
      region: string;
      readOnDemandThroughputSettings?: { maxReadRequestUnits?: number };
      pointInTimeRecoverySpecification?: { pointInTimeRecoveryEnabled?: boolean };
    }>>(child.replicas) ?? [];
    pitr = replicas.find((r) => r.region === stack.region)?.pointInTimeRecoverySpecification ?? {};
    replicaRegions = replicas.map((r) => r.region).filter((r) => !Token.isUnresolved(r) && r !== stack.region);
    // TableV2 renders the read maximum on each replica, the write maximum on the table.
    const read = resolve<{ maxReadRequestUnits?: number }>(child.readOnDemandThroughputSettings)
      ?? replicas.find((r) => r.region === stack.region)?.readOnDemandThroughputSettings;
    const write = resolve<{ maxWriteRequestUnits?: number }>(child.writeOnDemandThroughputSettings);
    maxRead = read?.maxReadRequestUnits;
    maxWrite = write?.maxWriteRequestUnits;
  } else {
    pitr = resolve<{ pointInTimeRecoveryEnabled?: boolean }>(child.pointInTimeRecoverySpecification) ?? {};
    const settings = resolve<{ maxReadRequestUnits?: number; maxWriteRequestUnits?: number }>(child.onDemandThroughput);
    maxRead = settings?.maxReadRequestUnits;
    maxWrite = settings?.maxWriteRequestUnits;
  }
  const billingMode = resolve<string>(child.billingMode) ?? (child instanceof CfnTable ? 'PROVISIONED' : undefined);
  return {
    resource: child,
    keyNames,
    indexNames: [...names(gsis), ...names(lsis)],
    globalIndexNames: names(gsis),
    indexKeyNames: [...new Set(indexKeyNames)],
    replicaRegions,
    billingMode,
    pointInTimeRecovery: pitr.pointInTimeRecoveryEnabled === true,
    maxReadRequestUnits: maxRead,
    maxWriteRequestUnits: maxWrite,
  };
}
