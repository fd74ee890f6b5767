import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createStacks } from '../../examples/operations/app';

function synth(): Stack[] {
  const app = new App({ builtinCloudFormationValidation: false });
  createStacks(app);
  return app.node.children.filter((c): c is Stack => c instanceof Stack);
}

// Passing the four packs, and the whole template's snapshot, are tested for every example in examples.test.ts.
describe('examples/operations wiring', () => {
  const [stack] = synth();
  const template = Template.fromStack(stack);

  test('the tasks table is marked multi-tenant and streams to Kinesis; the templates table behind DAX is not multi-tenant', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    // Logical ids start with the construct id: 'Tasks...' and 'TaskTemplates...'.
    const byId = (prefix: string) => Object.entries(tables).find(([id]) => id.startsWith(prefix))![1];
    const tasks = byId('Tasks');
    const templates = byId('TaskTemplates');
    expect(Object.keys(tables)).toHaveLength(2);
    expect(tasks.Metadata).toEqual(expect.objectContaining({ 'cdk-dynamodb-blueprints:multiTenant': true }));
    expect(JSON.stringify(tasks.Properties.Replicas)).toContain('KinesisStreamSpecification');
    expect(templates.Metadata?.['cdk-dynamodb-blueprints:multiTenant']).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('DAX cluster'),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: { 'Fn::GetAtt': [Object.keys(tables).find((id) => id.startsWith('TaskTemplates')), 'Arn'] } })]) },
    });
  });

  test('the tenant policy pins LeadingKeys to the tenantId session tag on the table and its local index', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Resource: [Match.anyValue(), Match.objectLike({ 'Fn::Join': ['', [Match.anyValue(), '/index/byDueDate']] })],
          Condition: { 'Null': { 'dynamodb:LeadingKeys': 'false' }, 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenantId}'] } },
        })]),
      },
    });
  });

  test('every alarm notifies the on-call topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    // Throttling on the table and on byDueDate (4), system errors, capacity (2), user errors, conditional checks.
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });
});
