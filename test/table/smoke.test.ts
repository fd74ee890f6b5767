import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable } from '../../src';
import { testStack } from '../util';

test('synthesizes a GlobalTable', () => {
  const stack = testStack();
  new BlueprintTable(stack, 'T', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
  Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
});
