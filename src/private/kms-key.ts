import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What a key created by this library encrypts; it decides the service statements of its key policy. */
export enum EncryptedResource {
  /** A DynamoDB table (its items, indexes, stream and on-demand backups). */
  DYNAMODB_TABLE = 'DYNAMODB_TABLE',
  /** An SQS queue. */
  SQS_QUEUE = 'SQS_QUEUE',
  /** A Kinesis data stream. */
  KINESIS_STREAM = 'KINESIS_STREAM',
  /** An AWS Backup vault. */
  BACKUP_VAULT = 'BACKUP_VAULT',
}

/** Properties of a key created by this library. */
export interface LibraryKeyProps {
  /** The key's description: what it encrypts, with the construct path. */
  readonly description: string;
  /** What the key encrypts. */
  readonly encrypts: EncryptedResource;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Statement ids of the key policy, a contract with the tests and docs/security-controls.md. */
export const KeyPolicySid = {
  ACCOUNT_ADMINISTRATION: 'AccountAdministersKeyAndDelegatesUseToIam',
  DENY_GRANTS_NOT_FOR_AWS_RESOURCES: 'DenyGrantsNotForAwsResources',
  DYNAMODB_DESCRIBES_KEY: 'DynamoDBDescribesKey',
  DYNAMODB_REPLICATION_USES_KEY: 'DynamoDBReplicationUsesKey',
} as const;

/**
 * Creates a customer-managed key for a resource of this library: symmetric, yearly rotation, retained,
 * and a key policy that passes the AWS Control Tower KMS proactive controls (CT.KMS.PR.1 rotation,
 * CT.KMS.PR.3 grants for AWS resources only).
 *
 * Every construct of the library creates its keys here, never with `new kms.Key()`.
 */
export function createLibraryKey(scope: Construct, id: string, props: LibraryKeyProps): kms.Key {
  return new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    policy: libraryKeyPolicy(props.encrypts),
  });
}

/** The key policy of a key created by this library. */
export function libraryKeyPolicy(encrypts: EncryptedResource): iam.PolicyDocument {
  const statements = [
    // What CDK's default key policy holds: without it CloudFormation could not update or delete the key,
    // and IAM policies (every `grant*()` of a same-account role) would give no access to it.
    new iam.PolicyStatement({
      sid: KeyPolicySid.ACCOUNT_ADMINISTRATION,
      effect: iam.Effect.ALLOW,
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:*'],
      resources: ['*'],
    }),
    // CT.KMS.PR.3: grants only for AWS services acting on a resource (DynamoDB and AWS Backup create
    // grants on the key for the table, its replicas and recovery points); nobody hands out a grant by hand.
    new iam.PolicyStatement({
      sid: KeyPolicySid.DENY_GRANTS_NOT_FOR_AWS_RESOURCES,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: {
          'kms:GrantIsForAWSResource': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    }),
  ];
  if (encrypts === EncryptedResource.DYNAMODB_TABLE) {
    // DynamoDB checks the key's state itself, to tell a table whose key is disabled or pending deletion.
    statements.push(new iam.PolicyStatement({
      sid: KeyPolicySid.DYNAMODB_DESCRIBES_KEY,
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('dynamodb.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    }));
  }
  return new iam.PolicyDocument({ statements });
}

/** The key actions DynamoDB's replication service needs on a multi-account replica's key (aws-cdk-lib's key read and write actions). */
const REPLICATION_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Lets DynamoDB's replication service (`replication.dynamodb.amazonaws.com`) use a multi-account
 * replica's key: the statement `TableV2MultiAccountReplica` adds when it is given the key, with a `Sid`.
 */
export function allowMultiAccountReplication(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: KeyPolicySid.DYNAMODB_REPLICATION_USES_KEY,
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal('replication.dynamodb.amazonaws.com')],
    actions: REPLICATION_KEY_ACTIONS,
    resources: ['*'],
  }));
}
