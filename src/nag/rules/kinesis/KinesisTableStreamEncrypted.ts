import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { renderResource, resolveIn, stackResources } from '../../../model/rendering';

/**
 * A Kinesis data stream that receives a DynamoDB table's item changes (the table's, or a replica's,
 * `KinesisStreamSpecification` names it in any reference form) is encrypted.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::Kinesis::Stream') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const stream = renderResource(node);
    const fed = stackResources(node, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').some((table) => {
      const p = renderResource(table).properties;
      const specs = [p.KinesisStreamSpecification, ...(p.Replicas ?? []).map((r: any) => r?.KinesisStreamSpecification)];
      return specs.some((spec) => spec?.StreamArn !== undefined
        && resolveIn(node, spec.StreamArn).resources.some((r) => r.logicalId === stream.logicalId));
    });
    if (!fed) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const encryption = stream.properties.StreamEncryption;
    return encryption !== undefined && encryption.EncryptionType !== 'NONE'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
