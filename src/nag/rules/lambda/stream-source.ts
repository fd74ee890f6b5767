import { CfnResource } from 'aws-cdk-lib';
import { isTableType, referencedResources, renderResource, stackResources } from '../../resources';

const STREAM_TYPES = ['AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer'];

/**
 * The rendered properties of an event source mapping that reads a DynamoDB or Kinesis stream,
 * or undefined for any other resource (SQS, Kafka, MQ mappings are not stream consumers here).
 */
export function streamEventSourceMapping(node: CfnResource): any | undefined {
  if (node.cfnResourceType !== 'AWS::Lambda::EventSourceMapping') {
    return undefined;
  }
  const props = renderResource(node).properties;
  const arn = props.EventSourceArn;
  if (typeof arn === 'string') {
    return /^arn:[^:]+:(dynamodb:[^:]*:[^:]*:table\/.+\/stream\/|kinesis:)/.test(arn) ? props : undefined;
  }
  const refs = referencedResources(arn);
  if (refs.length === 0) {
    return undefined;
  }
  const types = new Map<string, string>();
  for (const r of stackResources(node)) {
    types.set(renderResource(r).logicalId, r.cfnResourceType);
  }
  const readsStream = refs.some((ref) => {
    const type = types.get(ref.logicalId);
    return type !== undefined && (STREAM_TYPES.includes(type) || (isTableType(type) && ref.attribute === 'StreamArn'));
  });
  // A stream ARN from a parameter or an import, not a resource of the stack: StartingPosition is
  // set only for stream and Kafka sources, and an MSK cluster would be a resource of the stack.
  const unknownStream = !readsStream && props.StartingPosition !== undefined
    && refs.every((ref) => !types.has(ref.logicalId));
  return readsStream || unknownStream ? props : undefined;
}
