import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isTableType, renderResource, resolveIn, stackIndex } from '../../../model/rendering';
import { SAM_FUNCTION, samStreamEvents } from '../../../model/sam';

const STREAM_TYPES = ['AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer'];

/** What a stream source ARN names: a DynamoDB stream, a Kinesis stream, something else, or unknown. */
export enum StreamSource {
  DYNAMODB = 'DYNAMODB',
  KINESIS = 'KINESIS',
  OTHER = 'OTHER',
  UNRESOLVED = 'UNRESOLVED',
}

/**
 * Which stream a source ARN names, in any reference form: a table's `StreamArn` (`Fn::GetAtt` in
 * either form, `${Table.StreamArn}`, a literal or composed `table/<name>/stream/...` ARN), a
 * Kinesis stream or consumer, another resource, or nothing the template can tell (`Fn::ImportValue`, a parameter).
 */
export function streamSource(node: CfnResource, arn: unknown): StreamSource {
  if (typeof arn === 'string') {
    if (/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/.+\/stream\//.test(arn)) {
      return StreamSource.DYNAMODB;
    }
    return /^arn:[^:]+:kinesis:/.test(arn) ? StreamSource.KINESIS : StreamSource.OTHER;
  }
  const refs = resolveIn(node, arn);
  const index = stackIndex(node);
  if (refs.resources.some((r) => isTableType(index.typeOf(r.logicalId)) && r.attribute === 'StreamArn')) {
    return StreamSource.DYNAMODB;
  }
  if (refs.resources.some((r) => STREAM_TYPES.includes(index.typeOf(r.logicalId) ?? ''))) {
    return StreamSource.KINESIS;
  }
  if (/:dynamodb:[^"]*:table\/[^"]*\/stream\//.test(JSON.stringify(arn))) {
    return StreamSource.DYNAMODB;
  }
  return refs.resources.length === 0 && refs.unresolved.length > 0 ? StreamSource.UNRESOLVED : StreamSource.OTHER;
}

/**
 * The rendered properties of an event source mapping that reads a DynamoDB or Kinesis stream,
 * or undefined for any other resource (SQS, Kafka, MQ mappings are not stream consumers here).
 */
export function streamEventSourceMapping(node: CfnResource): any | undefined {
  if (node.cfnResourceType !== 'AWS::Lambda::EventSourceMapping') {
    return undefined;
  }
  const props = renderResource(node).properties;
  return isStreamMapping(node, props) ? props : undefined;
}

function isStreamMapping(node: CfnResource, props: any): boolean {
  const source = streamSource(node, props.EventSourceArn);
  // A stream ARN from a parameter or an import: StartingPosition is set only for stream and Kafka
  // sources, and an MSK cluster would be a resource of the stack.
  return source === StreamSource.DYNAMODB || source === StreamSource.KINESIS
    || (source === StreamSource.UNRESOLVED && props.StartingPosition !== undefined);
}

/**
 * Judges every stream mapping a resource makes: an event source mapping is compliant or not; a
 * SAM function's `DynamoDB`/`Kinesis` events (the mappings the transform creates) are judged one by
 * one, each failing one reported as `Event::<name>`. Not applicable to anything else.
 */
export function judgeStreamMappings(node: CfnResource, compliant: (mapping: any) => boolean): NagRuleResult {
  if (node.cfnResourceType === SAM_FUNCTION) {
    const events = samStreamEvents(renderResource(node).properties).filter((e) => isStreamMapping(node, e.properties));
    if (events.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return events.filter((e) => !compliant(e.properties)).map((e) => `Event::${e.name}`);
  }
  const mapping = streamEventSourceMapping(node);
  if (mapping === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return compliant(mapping) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
