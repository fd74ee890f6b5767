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
  for (const r of stackResources(node, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', ...STREAM_TYPES)) {
    types.set(renderResource(r).logicalId, r.cfnResourceType);
  }
  const readsStream = refs.some((ref) => {
    const type = types.get(ref.logicalId);
    return type !== undefined && (STREAM_TYPES.includes(type) || (isTableType(type) && ref.attribute === 'StreamArn'));
  });
  // An imported stream ARN (a parameter or an import) that the template shows as an intrinsic:
  // StartingPosition is only set for stream and Kafka sources, and Kafka sources have no EventSourceArn.
  const unknownStream = !readsStream && props.StartingPosition !== undefined
    && refs.every((ref) => !types.has(ref.logicalId));
  return readsStream || unknownStream ? props : undefined;
}
