import { createHash } from 'crypto';
import { Lazy, Stack, Token } from 'aws-cdk-lib';
import { AttributeType, ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ParkedItemKey, RedriveAfterDeploymentOptions } from './redrive';
import { tableKeyAttributes } from './table-facts';
import { hostError } from '../private/host-language';

/**
 * The custom resource that invokes the consumer's function with a redrive event once the deployment has
 * updated it, and again whenever a later deployment changes the function's code or configuration (or `keys`).
 */
export function createRedriveAfterDeployment(
  consumer: Construct, handler: lambda.IFunction, table: ITable, options: RedriveAfterDeploymentOptions,
): cr.AwsCustomResource {
  const keys = options.keys === undefined ? undefined : renderRedriveKeys(consumer.node.path, table, options.keys);
  const fn = functionOf(handler);
  // A fingerprint of the function's code and configuration: a new one updates the custom resource,
  // which invokes the function again once the new code is deployed.
  const payload = Lazy.string({
    produce: () => JSON.stringify({
      redriveParkedRecords: keys === undefined ? {} : { keys },
      ...(fn ? { deployment: deploymentFingerprint(fn) } : {}),
    }),
  });
  const invoke: cr.AwsSdkCall = {
    service: 'Lambda',
    action: 'Invoke',
    // Asynchronous: the deployment does not wait up to 15 minutes for a redrive, and a redrive that
    // fails does not fail the custom resource, so it never rolls back the fix.
    parameters: { FunctionName: handler.functionArn, InvocationType: 'Event', Payload: payload },
    physicalResourceId: cr.PhysicalResourceId.of(`${consumer.node.path}/RedriveAfterDeployment`),
    // An asynchronous invocation answers with its status code only; nothing else goes back to CloudFormation.
    outputPaths: ['StatusCode'],
  };
  const resource = new cr.AwsCustomResource(consumer, 'RedriveAfterDeployment', {
    resourceType: 'Custom::RedriveParkedRecords',
    onCreate: invoke,
    onUpdate: invoke,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [handler.functionArn],
    })]),
    // Lambda's Invoke is in every SDK the Node.js runtime carries: nothing to download at deployment.
    installLatestAwsSdk: false,
  });
  resource.node.addDependency(handler);
  if (fn !== undefined && fn !== handler) {
    resource.node.addDependency(fn);
  }
  return resource;
}

/** The function defined in the app behind a handler (itself, or the function of an alias or version); undefined when imported. */
function functionOf(handler: lambda.IFunction): lambda.Function | undefined {
  const fn = handler instanceof lambda.Alias ? handler.version.lambda : handler instanceof lambda.Version ? handler.lambda : handler;
  return fn instanceof lambda.Function ? fn : undefined;
}

/** A digest of what a function runs: its code, handler, runtime, environment, layers and architectures, as CloudFormation receives them. */
function deploymentFingerprint(fn: lambda.Function): string {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const deployed = Stack.of(fn).resolve({
    code: cfn.code,
    handler: cfn.handler,
    runtime: cfn.runtime,
    environment: cfn.environment,
    layers: cfn.layers,
    architectures: cfn.architectures,
    imageConfig: cfn.imageConfig,
  });
  return createHash('sha256').update(JSON.stringify(deployed)).digest('hex');
}

/** The DynamoDB type letter of each key attribute type. */
const TYPE_LETTER: Record<string, string> = { [AttributeType.STRING]: 'S', [AttributeType.NUMBER]: 'N', [AttributeType.BINARY]: 'B' };

/**
 * The keys of a redrive event, as stream records carry them (`{"PK": {"S": "TASK#1"}}`), from the table's
 * key attributes; every problem of `keys` in one error.
 */
function renderRedriveKeys(path: string, table: ITable, keys: ParkedItemKey[]): Record<string, Record<string, string>>[] {
  const where = `TableStreamConsumer ${path}: \`redriveAfterDeployment()\``;
  if (keys.length === 0) {
    throw hostError(`${where}: \`keys\` is empty: omit \`keys\` to replay every parked key, or list the item keys to replay.`);
  }
  const [partitionKey, sortKey] = tableKeyAttributes(table);
  if (partitionKey === undefined) {
    throw hostError(`${where}: \`keys\` are given, but the key attributes of the imported table ${table.node.path} are unknown at synthesis: `
      + 'omit `keys` to replay every parked key, or replay chosen keys with the `redrive` command of the CLI (`--key`).');
  }
  const tableKeys = [partitionKey, sortKey].filter((k) => k !== undefined).map((k) => `${k.name} (${k.type})`).join(', ');
  const problems: string[] = [];
  const rendered = keys.map((key, i) => {
    const item: Record<string, Record<string, string>> = {};
    const check = (prop: string, value: string | undefined, attribute: typeof partitionKey | undefined) => {
      const at = `\`keys[${i}].${prop}\``;
      if (attribute === undefined) {
        if (value !== undefined) {
          problems.push(`${at} is '${value}', but the table ${table.node.path} has no sort key (its keys: ${tableKeys}): remove it.`);
        }
        return;
      }
      if (value === undefined) {
        problems.push(`${at} is missing; the table ${table.node.path} has the sort key ${attribute.name}: give its value.`);
        return;
      }
      if (Token.isUnresolved(value)) {
        problems.push(`${at} is a token (${value}); the redrive event is written at synthesis: give the value itself.`);
        return;
      }
      const type = TYPE_LETTER[attribute.type ?? AttributeType.STRING];
      if (value === '') {
        problems.push(`${at} is empty; DynamoDB key values are never empty: give the value of ${attribute.name}.`);
      } else if (type === 'N' && !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
        problems.push(`${at} is '${value}', but ${attribute.name} is a Number key: give a number such as '42' or '1.5'.`);
      } else if (type === 'B' && !/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) {
        problems.push(`${at} is '${value}', but ${attribute.name} is a Binary key: give its bytes in base64, as stream records carry them.`);
      }
      item[attribute.name] = { [type]: value };
    };
    check('partitionKeyValue', key.partitionKeyValue, partitionKey);
    check('sortKeyValue', key.sortKeyValue, sortKey);
    return item;
  });
  if (problems.length > 0) {
    throw hostError(`${where}: ${problems.join(' ')}`);
  }
  return rendered;
}
