import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, Billing, Capacity, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { BlueprintTable, CapacityLimit, IndexProjection, TableAlarms, TableDashboard, TableMetricFactory } from '../../src';
import { testApp, testStack } from '../util';

function orders(stack: Stack, extra: Partial<ConstructorParameters<typeof BlueprintTable>[2]> = {}): BlueprintTable {
  return new BlueprintTable(stack, 'Orders', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    blueprintGlobalSecondaryIndexes: [{
      indexName: 'byStatus',
      partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
      projection: IndexProjection.keysOnly(),
    }],
    ...extra,
  });
}

const alarmByName = (alarms: TableAlarms, name: string) => {
  const found = alarms.alarms.find((a) => a.name === name);
  if (!found) throw new Error(`no alarm ${name}: ${alarms.alarms.map((a) => a.name).join(', ')}`);
  return found.alarm;
};

describe('TableAlarms defaults', () => {
  const stack = testStack();
  const table = orders(stack);
  const topic = new Topic(stack, 'OnCall');
  const alarms = new TableAlarms(stack, 'Alarms', { table, alarmTopic: topic });
  const template = Template.fromStack(stack);
  const tableName = { Ref: stack.getLogicalId(table.node.defaultChild as any) };
  const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };

  test('one alarm per concern, per index for throttling, none for user errors or conditional checks by default', () => {
    expect(alarms.alarms.map((a) => a.name)).toEqual([
      'ReadThrottledEvents', 'WriteThrottledEvents', 'ReadThrottledEvents-byStatus', 'WriteThrottledEvents-byStatus',
      'SystemErrors', 'ReadCapacityUtilization', 'WriteCapacityUtilization',
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  test('throttling: more than 10 events per 5 minutes in 2 of 3 periods, notifying the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'WriteThrottleEvents',
      Namespace: 'AWS/DynamoDB',
      Dimensions: [{ Name: 'GlobalSecondaryIndexName', Value: 'byStatus' }, { Name: 'TableName', Value: tableName }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
  });

  test('system errors: the sum of ten operations, any error alarms', () => {
    const json = Stack.of(alarms).resolve((alarmByName(alarms, 'SystemErrors').node.defaultChild as any)._toCloudFormation());
    const props = Object.values(json.Resources as Record<string, any>)[0].Properties;
    expect(props.Threshold).toBe(0);
    expect(props.Metrics[0]).toEqual({
      Id: 'expr_1',
      Label: 'System errors',
      ReturnData: true,
      Expression: 'FILL(e0, 0) + FILL(e1, 0) + FILL(e2, 0) + FILL(e3, 0) + FILL(e4, 0) + FILL(e5, 0) + FILL(e6, 0) + FILL(e7, 0) + FILL(e8, 0) + FILL(e9, 0)',
    });
    expect(props.Metrics).toHaveLength(11);
    expect(props.Metrics[1].MetricStat.Metric.Dimensions).toEqual([{ Name: 'Operation', Value: 'GetItem' }, { Name: 'TableName', Value: tableName }]);
  });

  test('capacity of an on-demand table without a maximum is measured against the account per-table quota', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 80,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * (consumedRead / 300) / limitRead' }),
        Match.objectLike({ Id: 'limitRead', MetricStat: Match.objectLike({ Metric: { MetricName: 'AccountMaxTableLevelReads', Namespace: 'AWS/DynamoDB' }, Stat: 'Maximum' }) }),
      ]),
    });
  });
});

describe('TableAlarms overrides', () => {
  test('thresholds, evaluation, name prefix, any IAlarmAction, and the opt-in alarms', () => {
    const stack = testStack();
    const table = orders(stack);
    const custom: IAlarmAction = { bind: () => ({ alarmActionArn: 'arn:aws:lambda:us-east-1:123456789012:function:pager' }) };
    const alarms = new TableAlarms(stack, 'Alarms', {
      table,
      alarmActions: [custom],
      alarmNamePrefix: 'orders-prod',
      period: Duration.minutes(1),
      readThrottledEvents: { maxThrottledEventsThreshold: 100, evaluationPeriods: 5, datapointsToAlarm: 5 },
      userErrors: { maxErrorCount: 50 },
      conditionalCheckFailures: {},
      globalIndexNames: [],
    });
    expect(alarms.alarms.map((a) => a.name)).toEqual([
      'ReadThrottledEvents', 'WriteThrottledEvents', 'SystemErrors', 'UserErrors', 'ConditionalCheckFailed', 'ReadCapacityUtilization', 'WriteCapacityUtilization',
    ]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'orders-prod-ReadThrottledEvents',
      MetricName: 'ReadThrottleEvents',
      Period: 60,
      Threshold: 100,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:pager'],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-prod-UserErrors', MetricName: 'UserErrors', Threshold: 50, Dimensions: Match.absent() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'orders-prod-ConditionalCheckFailed', MetricName: 'ConditionalCheckFailedRequests', Threshold: 0 });
  });

  test('a provisioned table is measured against its provisioned capacity', () => {
    const stack = testStack();
    const table = orders(stack, {
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ maxCapacity: 100 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 50 }),
      }),
    });
    new TableAlarms(stack, 'Alarms', { table });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'limitWrite', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ProvisionedWriteCapacityUnits' }), Stat: 'Average' }) })]),
    });
  });

  test('an on-demand maximum is the limit when the table sets one', () => {
    const stack = testStack();
    const table = orders(stack, { billing: Billing.onDemand({ maxReadRequestUnits: 4000, maxWriteRequestUnits: 1000 }) });
    const alarms = new TableAlarms(stack, 'Alarms', { table });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * (consumedRead / 300) / 4000' })]) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * (consumedWrite / 300) / 1000' })]) });
    expect(alarms.capacityLimit).toBeInstanceOf(CapacityLimit);
  });

  test('replication latency per replica region, in milliseconds', () => {
    const stack = testStack();
    const table = orders(stack, { replicas: [{ region: 'eu-west-1' }, { region: 'ap-south-1' }], encryption: TableEncryptionV2.awsManagedKey() });
    const alarms = new TableAlarms(stack, 'Alarms', { table, replicationLatency: { maxLatency: Duration.seconds(30) } });
    expect(alarms.alarms.filter((a) => a.name.startsWith('ReplicationLatency')).map((a) => a.name)).toEqual(['ReplicationLatency-eu-west-1', 'ReplicationLatency-ap-south-1']);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReplicationLatency',
      Threshold: 30000,
      Statistic: 'Average',
      Dimensions: Match.arrayWith([{ Name: 'ReceivingRegion', Value: 'eu-west-1' }]),
    });
  });

  test('a table of a region-agnostic stack has no replica of its own region to watch', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    const table = new TableV2(stack, 'Plain', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    const alarms = new TableAlarms(stack, 'Alarms', { table });
    expect(alarms.alarms.filter((a) => a.name.startsWith('ReplicationLatency'))).toEqual([]);
  });

  test('an imported table is monitored by name, with indexes and replicas given explicitly', () => {
    const stack = testStack();
    const table = TableV2.fromTableName(stack, 'Legacy', 'legacy-orders');
    const alarms = new TableAlarms(stack, 'Alarms', { table, globalIndexNames: ['gsi1'], replicaRegions: ['eu-west-1'], capacityLimit: CapacityLimit.provisioned() });
    expect(alarms.alarms.map((a) => a.name)).toContain('ReadThrottledEvents-gsi1');
    expect(alarms.alarms.map((a) => a.name)).toContain('ReplicationLatency-eu-west-1');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReadThrottleEvents', Dimensions: [{ Name: 'GlobalSecondaryIndexName', Value: 'gsi1' }, { Name: 'TableName', Value: 'legacy-orders' }],
    });
  });

  describe('fails', () => {
    const table = () => orders(testStack());
    test('fails with datapointsToAlarm above evaluationPeriods', () => {
      const t = table();
      expect(() => new TableAlarms(Stack.of(t), 'A', { table: t, systemErrors: { evaluationPeriods: 2, datapointsToAlarm: 3 } }))
        .toThrow(/`systemErrors.datapointsToAlarm` is 3: it must be a whole number from 1 to `evaluationPeriods` \(2\)/);
    });
    test('fails with zero evaluation periods', () => {
      const t = table();
      expect(() => new TableAlarms(Stack.of(t), 'A', { table: t, readThrottledEvents: { evaluationPeriods: 0 } })).toThrow(/`readThrottledEvents.evaluationPeriods` is 0/);
    });
    test('fails with a negative threshold', () => {
      const t = table();
      expect(() => new TableAlarms(Stack.of(t), 'A', { table: t, writeThrottledEvents: { maxThrottledEventsThreshold: -1 } })).toThrow(/`writeThrottledEvents.maxThrottledEventsThreshold` is -1/);
    });
    test('fails with a utilization above 100%', () => {
      const t = table();
      expect(() => new TableAlarms(Stack.of(t), 'A', { table: t, readCapacityUtilization: { maxUtilizationPercent: 120 } })).toThrow(/`readCapacityUtilization.maxUtilizationPercent` is 120/);
    });
    test('fails with an index the table does not have', () => {
      const t = table();
      expect(() => new TableAlarms(Stack.of(t), 'A', { table: t, globalIndexNames: ['nope'] })).toThrow(/`globalIndexNames` contains 'nope'.*\(its indexes: byStatus\)/);
    });
    test('fails with a bad name prefix', () => {
      const t = table();
      expect(() => new TableAlarms(Stack.of(t), 'A', { table: t, alarmNamePrefix: 'a|b' })).toThrow(/`alarmNamePrefix` is "a\|b"/);
    });
    test('fails with a period that is not whole minutes, or a bad on-demand maximum', () => {
      const t = table();
      expect(() => new TableMetricFactory({ table: t, period: Duration.seconds(90) })).toThrow(/`period` is 90 seconds/);
      expect(() => CapacityLimit.onDemandMaximum(0, 10)).toThrow(/`maxReadRequestUnits` is 0/);
    });
    test('fails with a dashboard interval under a minute', () => {
      expect(() => new TableDashboard(testStack(), 'D', { defaultInterval: Duration.seconds(10) })).toThrow(/`defaultInterval` is 10 seconds/);
    });
  });
});

describe('TableDashboard', () => {
  test('a section per table: title, alarm status, capacity, throttling per index, errors, latency', () => {
    const stack = testStack();
    const table = orders(stack);
    const alarms = new TableAlarms(stack, 'Alarms', { table });
    const dashboard = new TableDashboard(stack, 'Dashboard', { dashboardName: 'orders' });
    const widgets = dashboard.addTable(table, { alarms, title: 'Orders' });
    expect(widgets).toHaveLength(7);
    const body = JSON.stringify(stack.resolve((dashboard.dashboard.node.defaultChild as any).dashboardBody));
    for (const text of ['## Orders', 'Alarms', 'Capacity utilization (%)', 'Throttled events', 'Read byStatus', 'Errors', 'Successful request latency (ms)']) {
      expect(body).toContain(text);
    }
    expect(body).not.toContain('Replication latency');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders' });
  });

  test('replication latency is graphed for a global table', () => {
    const stack = testStack();
    const table = orders(stack, { replicas: [{ region: 'eu-west-1' }], encryption: TableEncryptionV2.awsManagedKey() });
    const dashboard = new TableDashboard(stack, 'Dashboard');
    expect(dashboard.addTable(table)).toHaveLength(7);
    expect(JSON.stringify(stack.resolve((dashboard.dashboard.node.defaultChild as any).dashboardBody))).toContain('Replication latency (ms)');
  });
});
