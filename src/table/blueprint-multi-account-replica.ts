import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  CfnGlobalTable,
  TableEncryption,
  TableV2MultiAccountReplica,
  TableV2MultiAccountReplicaProps,
} from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { normalizeContributorInsights, normalizePointInTimeRecovery } from './blueprint-defaults';
import { validateMultiAccountReplica } from './table-validation';
import { spellForHost } from '../private/host-language';
import { allowMultiAccountReplication, createLibraryKey, EncryptedResource } from '../private/kms-key';

/**
 * Properties of a `BlueprintMultiAccountReplica`: every `TableV2MultiAccountReplicaProps` prop, passed
 * to `TableV2MultiAccountReplica` unchanged, with `BlueprintTable`'s defaults where a replica needs them.
 *
 * The defaults that differ from `TableV2MultiAccountReplica`: a customer-managed key of the replica's
 * account with rotation (`encryption`), point-in-time recovery with 35 days, deletion protection and
 * contributor insights. `removalPolicy` is `RETAIN` in both.
 */
export interface BlueprintMultiAccountReplicaProps extends TableV2MultiAccountReplicaProps {}

/**
 * A replica of a global table in another AWS account (a `TableV2MultiAccountReplica`, emitting an
 * `AWS::DynamoDB::GlobalTable` with `GlobalTableSourceArn`), with the protections of a `BlueprintTable`:
 * point-in-time recovery for 35 days, deletion protection, contributor insights, a retained resource and
 * a customer-managed key of the replica's own account, created with rotation.
 *
 * DynamoDB never copies these settings from the source table (nor the table class, tags or resource
 * policy): each replica carries its own. The key schema and local secondary indexes come from the source.
 *
 * Note: the replica's stack must be in another account and region than the source table's. The source
 * table's resource policy must let the replica's account associate the replica: `TableV2` and
 * `BlueprintTable` write it when the source is in the same app; for a source imported by ARN, call
 * `grants.multiAccountReplicationTo(<replica ARN>)` on it in its own app.
 *
 * @example
 * new BlueprintMultiAccountReplica(replicaStack, 'Replica', { replicaSourceTable: table });
 */
export class BlueprintMultiAccountReplica extends TableV2MultiAccountReplica {
  /**
   * The customer-managed key this construct created, if `encryption` was not given.
   *
   * It is a child of the replica with the construct id `Key` (path `<replica path>/Key`), in the
   * replica's account and region.
   */
  public readonly createdEncryptionKey?: kms.IKey;

  /**
   * The KMS key that encrypts the replica, if it is a customer-managed key.
   */
  declare public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: BlueprintMultiAccountReplicaProps) {
    const regionAgnostic = Token.isUnresolved(Stack.of(scope).region);
    // TableV2MultiAccountReplica renders a customer-managed key only in a stack with a literal region;
    // the key this construct creates, and a given one in a region-agnostic stack, are written here.
    const keyWrittenHere = props.encryption === undefined
      || (regionAgnostic && props.encryption.type === TableEncryption.CUSTOMER_MANAGED);
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const { pointInTimeRecovery: _pitr, contributorInsights: _insights, ...passThrough } = props;
    const replicaProps: TableV2MultiAccountReplicaProps = {
      ...passThrough,
      encryption: keyWrittenHere ? undefined : props.encryption,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection ?? true,
      // TableV2MultiAccountReplica reads only the specifications: the shorthands become specifications.
      pointInTimeRecoverySpecification: normalizePointInTimeRecovery(props),
      contributorInsightsSpecification: normalizeContributorInsights(props),
    };
    super(scope, id, replicaProps);

    if (keyWrittenHere) {
      const key = props.encryption?.tableKey ?? createLibraryKey(this, 'Key', {
        description: `Encrypts the DynamoDB multi-account replica ${this.node.path}`,
        encrypts: EncryptedResource.DYNAMODB_TABLE,
      });
      this.createdEncryptionKey = props.encryption === undefined ? key : undefined;
      this.encryptionKey = key;
      allowMultiAccountReplication(key);
      (this.node.defaultChild as CfnGlobalTable).addPropertyOverride('Replicas.0.SSESpecification.KMSMasterKeyId', key.keyArn);
    } else {
      this.encryptionKey = props.encryption?.tableKey;
    }

    const sourceTableName = props.replicaSourceTable!.tableName;
    this.node.addValidation({ validate: () => validateMultiAccountReplica({ props, sourceTableName }).map((message) => spellForHost(message)) });
  }
}
