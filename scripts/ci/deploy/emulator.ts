/*
 * What scripts/ci/deploy.sh's checks share: the emulator's endpoint and credentials (from the environment
 * deploy.sh sets), the stacks of a copied app's cloud assembly, and a stack's deployed resources.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';

/** A stack of a synthesized app, as `cdk deploy` deployed it. */
export interface DeployedStack {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: any;
  /** Logical id to physical id, as the emulator's CloudFormation reports them. */
  readonly physicalIds: Record<string, string>;
}

/** Client settings for the emulator in one region (the endpoint and credentials come from the environment). */
export function clientConfig(region: string) {
  if (!process.env.AWS_ENDPOINT_URL?.startsWith('http://127.0.0.1:')) {
    throw new Error(`AWS_ENDPOINT_URL is '${process.env.AWS_ENDPOINT_URL}': these checks only talk to the local emulator (http://127.0.0.1:<port>), which scripts/ci/deploy.sh starts.`);
  }
  return { region, maxAttempts: 2 };
}

/** The stacks of the cloud assembly in `cdkOut`, each with its deployed resources. */
export async function deployedStacks(cdkOut: string): Promise<DeployedStack[]> {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8'));
  const stacks: DeployedStack[] = [];
  for (const artifact of Object.values<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment)!;
    const stackName = artifact.properties.stackName ?? artifact.displayName;
    const template = JSON.parse(fs.readFileSync(path.join(cdkOut, artifact.properties.templateFile), 'utf8'));
    const cfn = new CloudFormationClient(clientConfig(region));
    try {
      const { StackResources = [] } = await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }));
      const physicalIds = Object.fromEntries(StackResources.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
      stacks.push({ stackName, account, region, template, physicalIds });
    } finally {
      cfn.destroy();
    }
  }
  return stacks;
}

/** Deep equality of JSON values, with object keys in any order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as any)[k])]));
  }
  return value;
}
