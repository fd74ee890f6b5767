import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  BillingMode,
  CfnGlobalTable,
  ContributorInsightsSpecification,
  GlobalSecondaryIndexPropsV2,
  LocalSecondaryIndexProps,
  PointInTimeRecoverySpecification,
  ReplicaTableProps,
  SchemaOptions,
  StreamViewType,
  TableEncryption,
  TableEncryptionV2,
  TablePropsV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AccessPatternRegistry } from './access-pattern-registry';
import {
  normalizeContributorInsights,
  normalizePointInTimeRecovery,
  normalizeReplica,
  resolveProjection,
} from './blueprint-defaults';
import { IndexProjection } from './projection';
import { rawOverrideProblems, schemaOf, streamViewTypeOf } from './table-schema';
import { GlobalIndexRecord, indexWriteCapacityWarnings, LocalIndexRecord, replicaKeyProblem, ReplicaRecord, TableState, validateBlueprintTable } from './table-validation';
import { AccessPatternProps } from '../access-patterns/access-pattern';
import { WriteTrafficProps } from '../access-patterns/write-traffic';
import { spellForHost } from '../private/host-language';
import { createLibraryKey, EncryptedResource } from '../private/kms-key';


/**
 * A global secondary index of a `BlueprintTable`.
 *
 * The same props as `GlobalSecondaryIndexPropsV2` (single or multi-attribute keys, capacity,
 * warm throughput), plus `projection`.
 */
export interface BlueprintGlobalSecondaryIndexProps extends GlobalSecondaryIndexPropsV2 {
  /**
   * Which attributes the index copies from the base table.
   *
   * Note: set either `projection` or the `TableV2`-style `projectionType`/`nonKeyAttributes`, not both.
   * `nonKeyAttributes` alone means `INCLUDE`.
   *
   * @default - INCLUDE, and the attributes to include must be named (`IndexProjection.include([...])`)
   */
  readonly projection?: IndexProjection;
}

/**
 * A local secondary index of a `BlueprintTable`.
 *
 * The same props as `LocalSecondaryIndexProps`, plus `projection`.
 */
export interface BlueprintLocalSecondaryIndexProps extends LocalSecondaryIndexProps {
  /**
   * Which attributes the index copies from the base table.
   *
   * Note: set either `projection` or the `TableV2`-style `projectionType`/`nonKeyAttributes`, not both.
   *
   * @default - INCLUDE, and the attributes to include must be named (`IndexProjection.include([...])`)
   */
  readonly projection?: IndexProjection;
}

/**
 * Properties of a `BlueprintTable`: every `TablePropsV2` prop, passed to `TableV2` unchanged, with
 * different defaults where a production table needs them.
 *
 * The defaults that differ from `TableV2`: a customer-managed key with rotation (`encryption`),
 * point-in-time recovery with 35 days, deletion protection, contributor insights, `RemovalPolicy.RETAIN`
 * and `INCLUDE`-projected indexes. Fixed provisioned capacity is refused, and a table with replicas
 * needs an explicit `encryption`.
 */
export interface BlueprintTableProps extends TablePropsV2 {
  /**
   * Global secondary indexes with an `IndexProjection`, added after those of `globalSecondaryIndexes`.
   *
   * Note: `globalSecondaryIndexes` (TableV2's struct, `projectionType`/`nonKeyAttributes`) works too and
   * gets the same `INCLUDE` default; this prop exists because a struct crosses jsii by its declared type,
   * so only here does `projection` arrive from Python, Java, .NET and Go.
   *
   * @default - no global secondary indexes besides `globalSecondaryIndexes`
   */
  readonly blueprintGlobalSecondaryIndexes?: BlueprintGlobalSecondaryIndexProps[];

  /**
   * Local secondary indexes with an `IndexProjection`, added after those of `localSecondaryIndexes`.
   * They can only be created with the table, and they limit each item collection (all items of one
   * partition key) to 10 GB.
   *
   * @default - no local secondary indexes besides `localSecondaryIndexes`
   */
  readonly blueprintLocalSecondaryIndexes?: BlueprintLocalSecondaryIndexProps[];
}

/**
 * A DynamoDB table (a `TableV2`, emitting `AWS::DynamoDB::GlobalTable`) whose defaults are the
 * decisions a production table needs: point-in-time recovery for 35 days, deletion protection, a
 * retained resource, a customer-managed key with rotation, contributor insights and
 * `INCLUDE`-projected indexes. Every other `TablePropsV2` prop behaves as in `TableV2`.
 *
 * The checks run once, when the app synthesizes, and report every problem at once.
 *
 * @example
 * new BlueprintTable(this, 'Orders', {
 *   partitionKey: { name: 'PK', type: AttributeType.STRING },
 *   sortKey: { name: 'SK', type: AttributeType.STRING },
 * });
 */
export class BlueprintTable extends TableV2 {
  /**
   * The customer-managed key this construct created, if `encryption` was not given.
   *
   * It is a child of the table with the construct id `Key` (path `<table path>/Key`), so tags,
   * aspects and rule acknowledgments applied to the table reach it.
   */
  public readonly createdEncryptionKey?: kms.IKey;

  /**
   * The KMS key that encrypts the table, if it is a customer-managed key.
   */
  declare public readonly encryptionKey?: kms.IKey;

  /** The billing mode of the table: PAY_PER_REQUEST (on-demand) or PROVISIONED. */
  public readonly tableBillingMode: BillingMode;

  // Set after `super()`: TableV2's constructor calls `addReplica` before these exist.
  private readonly blueprintProps?: BlueprintTableProps;
  private readonly pointInTimeRecovery?: PointInTimeRecoverySpecification;
  private readonly globalIndexes: GlobalIndexRecord[] = [];
  private readonly localIndexes: LocalIndexRecord[] = [];
  private readonly replicaRecords: ReplicaRecord[] = [];
  private accessPatterns?: AccessPatternRegistry;

  constructor(scope: Construct, id: string, props: BlueprintTableProps) {
    const regionAgnostic = Token.isUnresolved(Stack.of(scope).region);
    // TableV2 can only render a customer-managed key per replica in a stack with a literal region.
    // Without replicas the only replica is the stack's own, so the key ARN is written there directly.
    const keyForStackRegion = props.encryption === undefined
      || (regionAgnostic && props.encryption.type === TableEncryption.CUSTOMER_MANAGED);
    const keyProblem = replicaKeyProblem(Stack.of(scope), props.encryption, (props.replicas ?? []).map((r) => r.region));
    if (keyProblem !== undefined) {
      throw new Error(`[${scope.node.path === '' ? id : `${scope.node.path}/${id}`}] ${spellForHost(keyProblem)}`);
    }
    const pointInTimeRecovery = normalizePointInTimeRecovery(props);
    const contributorInsights: ContributorInsightsSpecification = normalizeContributorInsights(props);
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const { pointInTimeRecovery: _pitr, contributorInsights: _insights, ...passThrough } = props;
    const tableProps: TablePropsV2 = {
      ...passThrough,
      // Added after super(), through the same path as indexes added later.
      globalSecondaryIndexes: undefined,
      localSecondaryIndexes: undefined,
      encryption: keyForStackRegion ? TableEncryptionV2.awsManagedKey() : props.encryption,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection ?? true,
      pointInTimeRecoverySpecification: pointInTimeRecovery,
      contributorInsightsSpecification: contributorInsights,
      replicas: props.replicas?.map((replica) => normalizeReplica(replica, pointInTimeRecovery)),
    };
    super(scope, id, tableProps);

    this.blueprintProps = props;
    this.pointInTimeRecovery = pointInTimeRecovery;
    this.tableBillingMode = props.billing?.mode ?? BillingMode.PAY_PER_REQUEST;
    (props.replicas ?? []).forEach((replica, i) => this.replicaRecords.push({ where: `replicas[${i}]`, props: replica }));

    if (keyForStackRegion) {
      const key = props.encryption?.tableKey ?? createLibraryKey(this, 'Key', {
        description: `Encrypts the DynamoDB table ${this.node.path}`,
        encrypts: EncryptedResource.DYNAMODB_TABLE,
      });
      this.createdEncryptionKey = props.encryption === undefined ? key : undefined;
      this.encryptionKey = key;
      // The table-level SSESpecification of an AWS managed key and of a customer-managed key are the
      // same ({ SSEEnabled: true, SSEType: KMS }); the key itself is named per replica. Validation
      // refuses replicas with this key, so replica 0 is the stack region's.
      (this.node.defaultChild as CfnGlobalTable).addPropertyOverride('Replicas.0.SSESpecification.KMSMasterKeyId', key.keyArn);
    } else {
      this.encryptionKey = props.encryption?.tableKey;
    }

    (props.globalSecondaryIndexes ?? []).forEach((gsi, i) => this.addGlobalIndex(`globalSecondaryIndexes[${i}]`, gsi, undefined));
    (props.blueprintGlobalSecondaryIndexes ?? []).forEach((gsi, i) => this.addGlobalIndex(`blueprintGlobalSecondaryIndexes[${i}]`, gsi, gsi.projection));
    (props.localSecondaryIndexes ?? []).forEach((lsi, i) => this.addLocalIndex(`localSecondaryIndexes[${i}]`, lsi, undefined));
    (props.blueprintLocalSecondaryIndexes ?? []).forEach((lsi, i) => this.addLocalIndex(`blueprintLocalSecondaryIndexes[${i}]`, lsi, lsi.projection));

    const state: TableState = {
      props,
      globalIndexes: this.globalIndexes,
      localIndexes: this.localIndexes,
      replicas: this.replicaRecords,
    };
    let warned = false;
    this.node.addValidation({
      validate: () => {
        if (!warned) {
          warned = true;
          for (const warning of indexWriteCapacityWarnings(this, state)) {
            Annotations.of(this).addWarningV2('cdk-dynamodb-blueprints:IndexWriteCapacityBelowTable', spellForHost(warning));
          }
        }
        return [...validateBlueprintTable(this, state), ...rawOverrideProblems(this.node.defaultChild as CfnGlobalTable)]
          .map((message) => spellForHost(message));
      },
    });
  }

  /**
   * The stream view type of the table's stream, or undefined when it has none (a table with replicas
   * streams `NEW_AND_OLD_IMAGES` unless told otherwise).
   *
   * Note: read from the table's `CfnGlobalTable` (its `streamSpecification`), so a stream set through
   * that escape hatch (`cfn.streamSpecification = { streamViewType: 'NEW_IMAGE' }`) is what this returns.
   * A raw override (`addPropertyOverride('StreamSpecification', ...)`) is in the template only, where no
   * construct can read it: synthesis fails on one that changes the stream, rather than letting this, the
   * stream consumer's checks and the deployed table disagree.
   */
  public get streamViewType(): StreamViewType | undefined {
    return streamViewTypeOf(this.node.defaultChild as CfnGlobalTable, `BlueprintTable ${this.node.path}`);
  }

  /**
   * The partition key and sort key of the table, or of one of its secondary indexes: the answer
   * `Table.schema()` gives for an aws-cdk-lib `Table`, which `TableV2` does not offer.
   *
   * Note: read from the table's `CfnGlobalTable` (`keySchema`, `attributeDefinitions` and the indexes),
   * so a key schema set through that escape hatch is what this returns. A raw override
   * (`addPropertyOverride('KeySchema', ...)`) is in the template only: synthesis fails on one that changes
   * the keys of the table or of an index. An index with a multi-attribute key cannot be described by
   * `SchemaOptions`: asking for it throws.
   *
   * @param indexName the name of a global or local secondary index (the table's own keys when omitted)
   */
  public schema(indexName?: string): SchemaOptions {
    return schemaOf(this.node.defaultChild as CfnGlobalTable, `BlueprintTable ${this.node.path}`, indexName);
  }

  /**
   * Declares an access pattern: a read the application makes, checked at synthesis against the table's
   * final keys and indexes, and listed in the access-pattern report written into the cloud assembly.
   *
   * Note: synthesis fails if the index does not exist, the keys are not that index's keys, a global
   * secondary index is read strongly consistently, a returned attribute is not projected into a global
   * secondary index, or a sort key condition has no sort key to apply to.
   */
  public addAccessPattern(props: AccessPatternProps): void {
    this.accessPatterns ??= new AccessPatternRegistry(this);
    this.accessPatterns.add(props);
  }

  /**
   * Declares the writes of one kind of item, for the heat forecast: checked at synthesis against the table's
   * final indexes, with the access patterns' traffic, and reported in the access-pattern report.
   *
   * Note: synthesis warns when a partition-key value of the table or of a global secondary index is forecast
   * above the utilization (0.8 of a partition's 3,000 read / 1,000 write units per second by default; context
   * `@cdk-dynamodb-blueprints/heat:utilization`), and fails above a partition's limits.
   */
  public addWriteTraffic(props: WriteTrafficProps): void {
    this.accessPatterns ??= new AccessPatternRegistry(this);
    this.accessPatterns.addWriteTraffic(props);
  }

  /**
   * Adds a global secondary index with a `projection`, with the same defaults and checks as the
   * `globalSecondaryIndexes` prop.
   */
  public addBlueprintGlobalSecondaryIndex(props: BlueprintGlobalSecondaryIndexProps): void {
    this.addGlobalIndex(`addBlueprintGlobalSecondaryIndex(${props.indexName})`, props, props.projection);
  }

  /**
   * Adds a local secondary index with a `projection`, with the same defaults and checks as the
   * `localSecondaryIndexes` prop.
   *
   * Note: an LSI can only be created with the table; adding one to a deployed table replaces it.
   */
  public addBlueprintLocalSecondaryIndex(props: BlueprintLocalSecondaryIndexProps): void {
    this.addLocalIndex(`addBlueprintLocalSecondaryIndex(${props.indexName})`, props, props.projection);
  }

  /**
   * Adds a global secondary index described in `TableV2`'s terms (`projectionType`/`nonKeyAttributes`).
   *
   * Note: unlike `TableV2`, an index without `projectionType` projects `INCLUDE` (not `ALL`) and
   * must name `nonKeyAttributes`; choose `ProjectionType.ALL` explicitly for a full copy. For
   * `IndexProjection`, use `addBlueprintGlobalSecondaryIndex`.
   */
  public addGlobalSecondaryIndex(props: GlobalSecondaryIndexPropsV2): void {
    this.addGlobalIndex(`addGlobalSecondaryIndex(${props.indexName})`, props, undefined);
  }

  /**
   * Adds a local secondary index described in `TableV2`'s terms (`projectionType`/`nonKeyAttributes`).
   *
   * Note: unlike `TableV2`, an index without `projectionType` projects `INCLUDE` (not `ALL`) and
   * must name `nonKeyAttributes`. For `IndexProjection`, use `addBlueprintLocalSecondaryIndex`.
   * An LSI can only be created with the table; adding one to a deployed table replaces it.
   */
  public addLocalSecondaryIndex(props: LocalSecondaryIndexProps): void {
    this.addLocalIndex(`addLocalSecondaryIndex(${props.indexName})`, props, undefined);
  }

  /**
   * Adds a replica, with the same defaults and checks as the `replicas` prop: its own
   * `pointInTimeRecovery` and `contributorInsights` (shorthand or specification) win over the table's.
   */
  public addReplica(props: ReplicaTableProps): void {
    if (this.blueprintProps === undefined) {
      // Called by TableV2's constructor with the replicas of the props, already normalized.
      super.addReplica(props);
      return;
    }
    const keyProblem = replicaKeyProblem(Stack.of(this), this.blueprintProps.encryption, [props.region]);
    if (keyProblem !== undefined) {
      throw new Error(`[${this.node.path}] ${spellForHost(keyProblem)}`);
    }
    this.replicaRecords.push({ where: `addReplica(${props.region})`, props });
    super.addReplica(normalizeReplica(props, this.pointInTimeRecovery!));
  }

  private addGlobalIndex(where: string, props: GlobalSecondaryIndexPropsV2, projection: IndexProjection | undefined): void {
    this.globalIndexes.push({ where, props, projection, strayProjection: projection === undefined && hasProjectionField(props) });
    super.addGlobalSecondaryIndex({ ...props, ...resolveProjection(props, projection) });
  }

  private addLocalIndex(where: string, props: LocalSecondaryIndexProps, projection: IndexProjection | undefined): void {
    this.localIndexes.push({ where, props, projection, strayProjection: projection === undefined && hasProjectionField(props) });
    super.addLocalSecondaryIndex({ ...props, ...resolveProjection(props, projection) });
  }
}

/**
 * Whether a TableV2-typed index struct carries a `projection` anyway (possible from TypeScript through a
 * variable, or JavaScript). Only its presence is read, to refuse it instead of dropping it.
 */
function hasProjectionField(props: object): boolean {
  return Object.prototype.hasOwnProperty.call(props, 'projection');
}
