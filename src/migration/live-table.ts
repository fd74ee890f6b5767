import { App, Stack } from 'aws-cdk-lib';
import {
  Billing,
  Capacity,
  StreamViewType,
  TableClass,
  TableEncryptionV2,
} from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { resourceMappingFile } from './adoption';
import { pythonFor, typescriptFor } from './live-table-code';
import { constructIdFor, Index, LiveTable, LiveTableDescriptions, maxThroughput, Opinion, opinionsFor, readLiveTable, replicaKeyArns } from './live-table-description';
import { BlueprintTable, BlueprintTableProps } from '../table/blueprint-table';
import { IndexProjection } from '../table/projection';

/**
 * Reads a table created outside CloudFormation from the AWS CLI's descriptions of it and writes the
 * `BlueprintTable` that matches it, in TypeScript and Python, with the `cdk import` resource mapping and
 * the opinions of BlueprintTable that change the live table on the first deployment after the import.
 *
 * CLI-only (not part of the jsii API): its inputs are the AWS CLI's JSON, read as they come.
 */

/** What `adoptLiveTable` writes. */
export interface LiveTableAdoption {
  readonly table: LiveTable;
  readonly constructId: string;
  readonly logicalId: string;
  readonly typescript: string;
  readonly python: string;
  readonly resourceMapping: string;
  readonly opinions: Opinion[];
  /** The template of a stack holding only the generated table (the equivalent construct, synthesized). */
  readonly template: any;
}

/** The props of the BlueprintTable that matches the live table, with the live values that override its opinions. */
export function livePropsFor(scope: Construct, id: string, table: LiveTable): BlueprintTableProps {
  const projection = (i: Index) => i.projectionType === 'KEYS_ONLY'
    ? IndexProjection.keysOnly()
    : i.projectionType === 'INCLUDE' ? IndexProjection.include(i.nonKeyAttributes) : IndexProjection.all();
  const pitr = table.pointInTimeRecovery;
  return {
    tableName: table.tableName,
    partitionKey: table.partitionKey,
    sortKey: table.sortKey,
    billing: table.onDemand ? Billing.onDemand(maxThroughput(table)) : Billing.provisioned({
      readCapacity: Capacity.autoscaled({ minCapacity: table.readUnits ?? 1, maxCapacity: table.readUnits ?? 1 }),
      writeCapacity: Capacity.autoscaled({ minCapacity: table.writeUnits ?? 1, maxCapacity: table.writeUnits ?? 1 }),
    }),
    replicas: table.replicas.length > 0 ? table.replicas.map((r) => ({ region: r.region })) : undefined,
    dynamoStream: table.streamViewType as StreamViewType | undefined,
    timeToLiveAttribute: table.timeToLiveAttribute,
    tableClass: table.tableClass === 'STANDARD' ? undefined : table.tableClass as TableClass,
    encryption: table.kmsKeyArn === undefined
      ? TableEncryptionV2.dynamoOwnedKey()
      : TableEncryptionV2.customerManagedKey(kms.Key.fromKeyArn(scope, `${id}Key`, table.kmsKeyArn), replicaKeyArns(table)),
    blueprintGlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({
      indexName: i.indexName,
      partitionKey: i.partitionKey!,
      sortKey: i.sortKey,
      projection: projection(i),
      readCapacity: i.readUnits === undefined ? undefined : Capacity.autoscaled({ minCapacity: i.readUnits, maxCapacity: i.readUnits }),
      writeCapacity: i.writeUnits === undefined ? undefined : Capacity.autoscaled({ minCapacity: i.writeUnits, maxCapacity: i.writeUnits }),
      ...maxThroughput(i),
    })),
    blueprintLocalSecondaryIndexes: table.localSecondaryIndexes.map((i) => ({
      indexName: i.indexName, sortKey: i.sortKey!, projection: projection(i),
    })),
    pointInTimeRecoverySpecification: pitr === undefined || (pitr.enabled && (pitr.days ?? 35) === 35)
      ? undefined
      : { pointInTimeRecoveryEnabled: pitr.enabled, recoveryPeriodInDays: pitr.enabled ? pitr.days : undefined },
    contributorInsightsSpecification: table.contributorInsights === false ? { enabled: false } : undefined,
    deletionProtection: table.deletionProtection ? undefined : false,
  };
}

/**
 * The generated code, mapping and opinions for one live table. The equivalent construct is synthesized in
 * a stack of its own, which gives the logical id (for a table that is a direct child of its stack).
 */
export function adoptLiveTable(descriptions: LiveTableDescriptions, constructId?: string): LiveTableAdoption {
  const table = readLiveTable(descriptions);
  const id = constructId ?? constructIdFor(table.tableName);
  const app = new App({ builtinCloudFormationValidation: false });
  const region = table.region || table.kmsKeyArn?.split(':')[3] || 'us-east-1';
  const stack = new Stack(app, 'Adoption', { env: { region } });
  const construct = new BlueprintTable(stack, id, livePropsFor(stack, id, table));
  const template = app.synth().getStackByName(stack.stackName).template;
  const logicalId = stack.getLogicalId(construct.node.defaultChild as any);
  const opinions = opinionsFor(table);
  return {
    table,
    constructId: id,
    logicalId,
    typescript: typescriptFor(table, id, opinions),
    python: pythonFor(table, id, opinions),
    resourceMapping: resourceMappingFile([{ logicalId, tableName: table.tableName }]),
    opinions,
    template,
  };
}
