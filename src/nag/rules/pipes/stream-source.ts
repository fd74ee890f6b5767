import { CfnResource } from 'aws-cdk-lib';
import { renderResource } from '../../../model/rendering';
import { streamSource, StreamSource } from '../lambda/stream-source';

/**
 * The `SourceParameters.DynamoDBStreamParameters` of an EventBridge pipe that reads a DynamoDB
 * stream (its `Source` names a table's stream in any reference form, or cannot be resolved but the
 * pipe has DynamoDB stream parameters), `{}` when it reads one without them; undefined otherwise.
 */
export function dynamoDBStreamPipe(node: CfnResource): any | undefined {
  if (node.cfnResourceType !== 'AWS::Pipes::Pipe') {
    return undefined;
  }
  const props = renderResource(node).properties;
  const parameters = props.SourceParameters?.DynamoDBStreamParameters;
  const source = streamSource(node, props.Source);
  if (source === StreamSource.DYNAMODB || (parameters !== undefined && source === StreamSource.UNRESOLVED)) {
    return parameters ?? {};
  }
  return undefined;
}
