import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BlueprintTable, IdempotencyTable, KinesisChangeStream, TableStreamConsumer, TableBackupPlan } from '../../src';
import { createLibraryKey, EncryptedResource } from '../../src/private/kms-key';
import { testStack } from '../util';

const ROOT = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } };

/** Lets the account administer the key and IAM policies grant its use: CloudFormation and every grant*() need it. */
const ACCOUNT_ADMINISTRATION = {
  Sid: 'AccountAdministersKeyAndDelegatesUseToIam',
  Effect: 'Allow',
  Principal: ROOT,
  Action: 'kms:*',
  Resource: '*',
};

/** CT.KMS.PR.3, word for word what the control asks. */
const DENY_GRANTS_NOT_FOR_AWS_RESOURCES = {
  Sid: 'DenyGrantsNotForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

const DYNAMODB_DESCRIBES_KEY = {
  Sid: 'DynamoDBDescribesKey',
  Effect: 'Allow',
  Principal: { Service: 'dynamodb.amazonaws.com' },
  Action: 'kms:DescribeKey',
  Resource: '*',
};

/** The key policy statements of a key, as synthesized. */
function statementsOf(stack: Stack, key: kms.IKey): unknown[] {
  const logicalId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
  const resource = Template.fromStack(stack).toJSON().Resources[logicalId];
  expect(resource.Type).toBe('AWS::KMS::Key');
  expect(resource.Properties.EnableKeyRotation).toBe(true);
  expect(resource.DeletionPolicy).toBe('Retain');
  return resource.Properties.KeyPolicy.Statement;
}

function handler(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  });
}

describe('the key policy of every key the library creates', () => {
  test('the dead-letter queue key: account administration and the grant restriction only', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: handler(stack) });
    // The function's role gets its use of the key by an IAM policy, which the first statement allows.
    expect(statementsOf(stack, consumer.deadLetterQueue.encryptionMasterKey!)).toEqual([ACCOUNT_ADMINISTRATION, DENY_GRANTS_NOT_FOR_AWS_RESOURCES]);
  });

  test('the backup vault key: account administration and the grant restriction only', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    const backups = new TableBackupPlan(stack, 'Backups', { tables: [table] });
    // AWS Backup creates its grants for the recovery points (kms:GrantIsForAWSResource), which the deny lets through.
    expect(statementsOf(stack, backups.vaultKey!)).toEqual([ACCOUNT_ADMINISTRATION, DENY_GRANTS_NOT_FOR_AWS_RESOURCES]);
  });

  test('the Kinesis stream key: account administration and the grant restriction only', () => {
    const stack = testStack();
    const changes = new KinesisChangeStream(stack, 'Changes');
    expect(statementsOf(stack, changes.encryptionKey)).toEqual([ACCOUNT_ADMINISTRATION, DENY_GRANTS_NOT_FOR_AWS_RESOURCES]);
  });

  test('a DynamoDB table key also lets DynamoDB describe the key', () => {
    const stack = testStack();
    const key = createLibraryKey(stack, 'Key', { description: 'table', encrypts: EncryptedResource.DYNAMODB_TABLE });
    expect(statementsOf(stack, key)).toEqual([ACCOUNT_ADMINISTRATION, DENY_GRANTS_NOT_FOR_AWS_RESOURCES, DYNAMODB_DESCRIBES_KEY]);
  });

  test('the table key of a BlueprintTable, and so of an IdempotencyTable: the table statements', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    const idempotency = new IdempotencyTable(stack, 'Idempotency');
    expect(table.createdEncryptionKey!.node.path).toBe('TestStack/Tasks/Key');
    const tableStatements = [ACCOUNT_ADMINISTRATION, DENY_GRANTS_NOT_FOR_AWS_RESOURCES, DYNAMODB_DESCRIBES_KEY];
    expect(statementsOf(stack, table.createdEncryptionKey!)).toEqual(tableStatements);
    expect(statementsOf(stack, idempotency.createdEncryptionKey!)).toEqual(tableStatements);
  });

  test('a grant to a role of the account adds nothing to the key policy', () => {
    const stack = testStack();
    const changes = new KinesisChangeStream(stack, 'Changes');
    changes.grantRead(handler(stack));
    expect(statementsOf(stack, changes.encryptionKey)).toEqual([ACCOUNT_ADMINISTRATION, DENY_GRANTS_NOT_FOR_AWS_RESOURCES]);
  });
});

/** The AWS Control Tower KMS proactive controls, run by cfn-guard as a Control Tower hook would. */
const GUARD_PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const GUARD = path.join(GUARD_PACKAGE, 'bin', 'ubuntu', 'x86_64', 'cfn-guard');
const KMS_RULES = path.join(GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard', 'keymanagementservice');

function guard(template: unknown): { status: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-key-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify(template));
  try {
    const output = execFileSync(GUARD, ['validate', '--rules', KMS_RULES, '--data', file, '--show-summary', 'fail'], { encoding: 'utf8' });
    return { status: 0, output };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { status: err.status, output: err.stdout };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const onLinuxX64 = os.platform() === 'linux' && os.arch() === 'x64' ? test : test.skip;

describe('Control Tower KMS controls (CT.KMS.PR.1-3)', () => {
  onLinuxX64('pass on a key of each kind', () => {
    const stack = testStack();
    for (const encrypts of Object.values(EncryptedResource)) {
      createLibraryKey(stack, encrypts, { description: encrypts, encrypts });
    }
    const result = guard(Template.fromStack(stack).toJSON());
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  onLinuxX64('fail on CDK\'s default key policy (CT.KMS.PR.3), so the pass above means something', () => {
    const stack = testStack();
    new kms.Key(stack, 'Default', { enableKeyRotation: true });
    const result = guard(Template.fromStack(stack).toJSON());
    expect(result.output).toContain('CT.KMS.PR.3');
    expect(result.status).not.toBe(0);
  });
});
