import { CfnResource, Stack } from 'aws-cdk-lib';
import { TableDefinition, TableDefinitions, TableResourceType } from '../template/table-definition';

/** A CfnResource as it appears in the synthesized template, tokens resolved to intrinsics. */
export interface RenderedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly metadata?: any;
}

/** Per-validation memo: a rule pack renders each resource once, however many rules read it. */
interface Memo {
  readonly rendered: WeakMap<CfnResource, RenderedResource>;
  readonly tables: WeakMap<CfnResource, Map<boolean, TableDefinition | undefined>>;
  readonly stacks: WeakMap<Stack, CfnResource[]>;
}

let memo: Memo | undefined;

/**
 * Runs `fn` with rendered resources, table definitions and stack resource lists memoized, then
 * forgets them: the construct tree may change between two validations, never during one.
 */
export function withMemo<T>(fn: () => T): T {
  const previous = memo;
  memo = { rendered: new WeakMap(), tables: new WeakMap(), stacks: new WeakMap() };
  try {
    return fn();
  } finally {
    memo = previous;
  }
}

/**
 * Renders one resource the way the template will show it: property names capitalized, overrides
 * applied, tokens turned into `Ref`/`Fn::GetAtt`. Works the same for L2, L1 and `CfnInclude` resources.
 */
export function renderResource(node: CfnResource): RenderedResource {
  const known = memo?.rendered.get(node);
  if (known !== undefined) {
    return known;
  }
  const stack = Stack.of(node);
  // `_toCloudFormation()` is what the stack itself renders; reading typed L1 props instead would
  // miss raw overrides and the resources a `CfnInclude` brings in as plain `CfnResource`s.
  const resources = stack.resolve((node as any)._toCloudFormation())?.Resources ?? {};
  const logicalId = Object.keys(resources)[0] ?? stack.resolve(node.logicalId);
  const r = resources[logicalId] ?? {};
  const rendered: RenderedResource = {
    logicalId,
    type: r.Type ?? node.cfnResourceType,
    properties: r.Properties ?? {},
    deletionPolicy: r.DeletionPolicy,
    updateReplacePolicy: r.UpdateReplacePolicy,
    metadata: r.Metadata,
  };
  memo?.rendered.set(node, rendered);
  return rendered;
}

/** Whether a resource type is a DynamoDB table (`Table` or `GlobalTable`). */
export function isTableType(type: string): boolean {
  return type === TableResourceType.TABLE || type === TableResourceType.GLOBAL_TABLE;
}

/** The CfnResources of the same stack (not of nested stacks) whose type is one of `types`, or all of them. */
export function stackResources(node: CfnResource, ...types: string[]): CfnResource[] {
  const stack = Stack.of(node);
  let all = memo?.stacks.get(stack);
  if (all === undefined) {
    all = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
    memo?.stacks.set(stack, all);
  }
  return types.length === 0 ? [...all] : all.filter((c) => types.includes(c.cfnResourceType));
}

/**
 * The table definition of a table resource, with the Application Auto Scaling targets of the same
 * stack taken into account (a `Table` auto scales through separate resources), or undefined for
 * any other resource.
 */
export function tableDefinition(node: CfnResource, withScaling = false): TableDefinition | undefined {
  if (!isTableType(node.cfnResourceType)) {
    return undefined;
  }
  const known = memo?.tables.get(node);
  if (known?.has(withScaling)) {
    return known.get(withScaling);
  }
  const definition = parseTableDefinition(node, withScaling);
  if (memo !== undefined) {
    memo.tables.set(node, (known ?? new Map()).set(withScaling, definition));
  }
  return definition;
}

function parseTableDefinition(node: CfnResource, withScaling: boolean): TableDefinition | undefined {
  const table = renderResource(node);
  const resources: Record<string, any> = { [table.logicalId]: toTemplateResource(table) };
  if (withScaling && table.type === TableResourceType.TABLE) {
    for (const target of stackResources(node, 'AWS::ApplicationAutoScaling::ScalableTarget')) {
      const rendered = renderResource(target);
      resources[rendered.logicalId] = toTemplateResource(rendered);
    }
  }
  return TableDefinitions.fromTemplate({ Resources: resources }).find((t) => t.logicalId === table.logicalId);
}

function toTemplateResource(r: RenderedResource): any {
  return {
    Type: r.type,
    Properties: r.properties,
    DeletionPolicy: r.deletionPolicy,
    UpdateReplacePolicy: r.updateReplacePolicy,
  };
}

/** Whether a resolved value (a string or an intrinsic) mentions the logical id `logicalId` in a `Ref` or `Fn::GetAtt`. */
export function referencesLogicalId(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(`"${logicalId}"`);
}

/** The logical ids a resolved value references through `Ref` or `Fn::GetAtt`, with the attribute for `Fn::GetAtt`. */
export function referencedResources(value: unknown): Array<{ logicalId: string; attribute?: string }> {
  const found: Array<{ logicalId: string; attribute?: string }> = [];
  const visit = (v: any) => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v !== null && typeof v === 'object') {
      if (typeof v.Ref === 'string') {
        found.push({ logicalId: v.Ref });
      }
      const getAtt = v['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
        found.push({ logicalId: getAtt[0], attribute: typeof getAtt[1] === 'string' ? getAtt[1] : undefined });
      } else if (typeof getAtt === 'string') {
        const [logicalId, attribute] = getAtt.split('.');
        found.push({ logicalId, attribute });
      }
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return found;
}

/** `true` and `'true'` (CfnInclude keeps template strings) are true. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A number, or a numeric string as `CfnInclude` may keep it; undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/**
 * How a finding names a replica's region: the region itself, `StackRegion` for `{ Ref: AWS::Region }`
 * (a region-agnostic stack), `Unresolved` for any other intrinsic. Finding ids cannot hold JSON.
 */
export function regionName(region: unknown): string {
  const text = typeof region === 'string' ? region : JSON.stringify(region ?? null);
  if (!text.startsWith('{')) {
    return text;
  }
  return text.includes('AWS::Region') ? 'StackRegion' : 'Unresolved';
}
