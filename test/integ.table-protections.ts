/*
 * Integration test (integ-runner): a BlueprintTable deployed with its defaults keeps its protections on the
 * live table: deletion protection, point-in-time recovery, encryption with its customer-managed key.
 * `npx integ-runner` checks the committed snapshot without deploying; see CONTRIBUTING.md to run it on an account.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable } from 'cdk-dynamodb-blueprints';

const app = new App();
const stack = new Stack(app, 'BlueprintTableProtections');
const table = new BlueprintTable(stack, 'Orders', {
  partitionKey: { name: 'PK', type: AttributeType.STRING },
  sortKey: { name: 'SK', type: AttributeType.STRING },
});

const integ = new IntegTest(app, 'TableProtections', {
  testCases: [stack],
  // The table is RETAINed with deletion protection on: after the test, delete it by hand (CONTRIBUTING.md).
  diffAssets: false,
});

integ.assertions.awsApiCall('DynamoDB', 'describeTable', { TableName: table.tableName })
  .expect(ExpectedResult.objectLike({
    Table: {
      DeletionProtectionEnabled: true,
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
    },
  }));
integ.assertions.awsApiCall('DynamoDB', 'describeContinuousBackups', { TableName: table.tableName })
  .expect(ExpectedResult.objectLike({
    ContinuousBackupsDescription: {
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 },
    },
  }));

app.synth();
