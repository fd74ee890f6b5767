import { Template } from 'aws-cdk-lib/assertions';
import { ParkedRecordsTable } from '../../src';
import { testStack } from '../util';

test('the counters of attempts and invocations expire: the table has time to live on `expiration`', () => {
  const stack = testStack();
  new ParkedRecordsTable(stack, 'Parked');
  Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
    TimeToLiveSpecification: { AttributeName: ParkedRecordsTable.TIME_TO_LIVE_ATTRIBUTE, Enabled: true },
  });
});
