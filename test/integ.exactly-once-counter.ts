/*
 * Integration test (integ-runner): the task tracker's stream consumer keeps a project's open-task count
 * exactly once on a live stack. The assertions put tasks, write one of them again unchanged and complete
 * another, then wait for the counter the consumer keeps. `npx integ-runner` checks the committed snapshot
 * without deploying; see CONTRIBUTING.md to run it on an account.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { TaskTrackerStack } from '../examples/task-tracker/app';

const app = new App();
const stack = new TaskTrackerStack(app, 'TaskTrackerCounter');
const tableName = stack.tasks.tableName;

const integ = new IntegTest(app, 'ExactlyOnceCounter', { testCases: [stack], diffAssets: false });

const task = (taskId: string, status: string) => ({
  TableName: tableName,
  Item: {
    PK: { S: `TENANT#acme#TASK#${taskId}` },
    SK: { S: 'TASK' },
    tenantId: { S: 'acme' },
    taskId: { S: taskId },
    projectId: { S: 'apollo' },
    title: { S: `Task ${taskId}` },
    status: { S: status },
    assigneeId: { S: 'ana' },
    dueDate: { S: '2026-12-24' },
  },
});
// Three open tasks; t2 written again unchanged (a MODIFY that moves no count); t3 completed: 2 open.
const writes = [task('t1', 'OPEN'), task('t2', 'OPEN'), task('t3', 'OPEN'), task('t2', 'OPEN'), task('t3', 'DONE')]
  .map((item) => integ.assertions.awsApiCall('DynamoDB', 'putItem', item));
writes.slice(1).forEach((write, i) => writes[i].next(write));

writes[writes.length - 1].next(
  integ.assertions.awsApiCall('DynamoDB', 'getItem', {
    TableName: tableName,
    Key: { PK: { S: 'TENANT#acme#PROJECT#apollo' }, SK: { S: 'OPEN_TASKS' } },
    ConsistentRead: true,
  }).expect(ExpectedResult.objectLike({ Item: { openTasks: { N: '2' } } }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) }),
);

app.synth();
