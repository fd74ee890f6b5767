import * as fs from 'fs';
import { CfnResource, IPolicyValidationContext, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { collectScaling, isTableType, parseTable, ScalingTargets } from './parse';
import { literalName, resolveReferences, ResolvedReferences, ResourceIndex } from './references';
import { SAM_SIMPLE_TABLE, simpleTableAsTable } from './sam';
import { TableDefinition, TableResourceType } from './table-definition';

export { isTableType } from './parse';
export { asNumber, isTrue } from './values';

/** A CfnResource as it appears in the synthesized template, tokens resolved to intrinsics. */
export interface RenderedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: any;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly metadata?: any;
}

/** What one stack holds, computed once per validation. */
interface StackModel {
  readonly resources: CfnResource[];
  readonly byType: Map<string, CfnResource[]>;
  /** Logical ids by resource type, computed for a type when first asked (a logical id costs a hash). */
  readonly idsByType: Map<string, Map<string, CfnResource>>;
  byLogicalId?: Map<string, CfnResource>;
  index?: ResourceIndex;
  /** The Application Auto Scaling targets of the stack's `AWS::DynamoDB::Table`s, by table logical id. */
  scaling?: Map<string, ScalingTargets>;
}

/** The types references usually point at, looked up before computing every logical id of the stack. */
const REFERENCED_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', SAM_SIMPLE_TABLE, 'AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer'];

/**
 * The templates an app synthesized, by stack construct path, as a validation plugin receives them
 * (`IPolicyValidationContext.stackTemplates`). Each is read when a resource of its stack is first rendered.
 */
export class SynthesizedTemplates {
  /**
   * The templates a validation plugin is given. aws-cdk-lib releases before `stackTemplates` give none:
   * every resource is then rendered from the tree.
   */
  public static fromContext(context: IPolicyValidationContext): SynthesizedTemplates {
    return new SynthesizedTemplates(new Map((context.stackTemplates ?? []).map((s) => [s.stackConstructPath, s.templatePath])));
  }

  private readonly read = new Map<string, Record<string, any>>();

  /** @param paths template file paths by stack construct path */
  constructor(private readonly paths: ReadonlyMap<string, string>) {}

  /** The `Resources` of the stack's synthesized template, or undefined when it was not synthesized. */
  public resourcesOf(stack: Stack): Record<string, any> | undefined {
    const key = stack.node.path;
    const known = this.read.get(key);
    if (known !== undefined) {
      return known;
    }
    const file = this.paths.get(key);
    if (file === undefined) {
      return undefined;
    }
    const resources = JSON.parse(fs.readFileSync(file, 'utf-8')).Resources ?? {};
    this.read.set(key, resources);
    return resources;
  }
}

/** Per-validation memo: a rule pack renders each resource once, however many rules read it. */
interface Memo {
  readonly rendered: WeakMap<CfnResource, RenderedResource>;
  readonly tables: WeakMap<CfnResource, Map<boolean, TableDefinition | undefined>>;
  readonly stacks: WeakMap<Stack, StackModel>;
  readonly logicalIds: WeakMap<CfnResource, string>;
  /** Every CfnResource under an app's root, found once per validation. */
  readonly apps: WeakMap<IConstruct, CfnResource[]>;
  readonly templates?: SynthesizedTemplates;
}

let memo: Memo | undefined;

/**
 * Runs `fn` with rendered resources, table definitions and stack resource lists memoized, then
 * forgets them: the construct tree may change between two validations, never during one. With
 * `templates` (a validation after synthesis), resources are read from the synthesized templates
 * rather than rendered again.
 */
export function withMemo<T>(fn: () => T, templates?: SynthesizedTemplates): T {
  const previous = memo;
  memo = { rendered: new WeakMap(), tables: new WeakMap(), stacks: new WeakMap(), logicalIds: new WeakMap(), apps: new WeakMap(), templates };
  try {
    return fn();
  } finally {
    memo = previous;
  }
}

/**
 * Renders one resource the way the template will show it: property names capitalized, overrides
 * applied, tokens turned into `Ref`/`Fn::GetAtt`. Works the same for L2, L1 and `CfnInclude` resources.
 * A SAM `SimpleTable` is rendered as the `AWS::DynamoDB::Table` the transform makes of it.
 */
export function renderResource(node: CfnResource): RenderedResource {
  const known = memo?.rendered.get(node);
  if (known !== undefined) {
    return known;
  }
  const rendered = synthesizedResource(node) ?? renderedResource(node);
  memo?.rendered.set(node, rendered);
  return rendered;
}

/** The resource as its stack's synthesized template holds it, when the validation runs after synthesis. */
function synthesizedResource(node: CfnResource): RenderedResource | undefined {
  const resources = memo?.templates?.resourcesOf(Stack.of(node));
  if (resources === undefined) {
    return undefined;
  }
  const logicalId = logicalIdOf(node);
  const r = resources[logicalId];
  // Not in the template as this resource (the tree changed after synthesis): render it instead.
  if (r === undefined || r.Type !== node.cfnResourceType) {
    return undefined;
  }
  return toRendered(logicalId, node, r);
}

function renderedResource(node: CfnResource): RenderedResource {
  const stack = Stack.of(node);
  let resources: Record<string, any>;
  try {
    // `_toCloudFormation()` is what the stack itself renders; reading typed L1 props instead would
    // miss raw overrides and the resources a `CfnInclude` brings in as plain `CfnResource`s.
    resources = stack.resolve((node as any)._toCloudFormation())?.Resources ?? {};
  } catch {
    // A shape CloudFormation accepts and aws-cdk-lib's typed L1 refuses (a policy document as a JSON
    // string, which `cdk synth` refuses too): read the properties as given, named as templates name them.
    const given = { Type: node.cfnResourceType, Properties: templateNames(stack.resolve((node as any).cfnProperties)) };
    return toRendered(logicalIdOf(node), node, given);
  }
  const logicalId = Object.keys(resources)[0] ?? logicalIdOf(node);
  return toRendered(logicalId, node, resources[logicalId] ?? {});
}

/**
 * Property names as templates write them (`policyDocument` -> `PolicyDocument`); keys holding a
 * colon or starting with an upper-case letter (condition keys, documents kept as written) are left as they are.
 */
function templateNames(value: unknown): any {
  if (Array.isArray(value)) {
    return value.map(templateNames);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [
    /^[a-z]/.test(k) && !k.includes(':') ? k[0].toUpperCase() + k.slice(1) : k,
    templateNames(v),
  ]));
}

function toRendered(logicalId: string, node: CfnResource, given: any): RenderedResource {
  const r = given.Type === SAM_SIMPLE_TABLE ? simpleTableAsTable(given) : given;
  return {
    logicalId,
    type: r.Type ?? node.cfnResourceType,
    properties: r.Properties ?? {},
    deletionPolicy: r.DeletionPolicy,
    updateReplacePolicy: r.UpdateReplacePolicy,
    metadata: r.Metadata,
  };
}

/** The logical id of a resource, without rendering its properties. */
export function logicalIdOf(node: CfnResource): string {
  const known = memo?.logicalIds.get(node) ?? memo?.rendered.get(node)?.logicalId;
  if (known !== undefined) {
    return known;
  }
  const id = Stack.of(node).resolve(node.logicalId);
  memo?.logicalIds.set(node, id);
  return id;
}

function stackModel(node: IConstruct): StackModel {
  const stack = Stack.of(node);
  const known = memo?.stacks.get(stack);
  if (known !== undefined) {
    return known;
  }
  const resources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
  const byType = new Map<string, CfnResource[]>();
  for (const r of resources) {
    const list = byType.get(r.cfnResourceType);
    if (list === undefined) {
      byType.set(r.cfnResourceType, [r]);
    } else {
      list.push(r);
    }
  }
  const model: StackModel = { resources, byType, idsByType: new Map() };
  memo?.stacks.set(stack, model);
  return model;
}

/** The resource of `model` with this logical id, searching the usually referenced types first. */
function findByLogicalId(model: StackModel, logicalId: string): CfnResource | undefined {
  for (const type of REFERENCED_TYPES) {
    let ids = model.idsByType.get(type);
    if (ids === undefined) {
      // Tables and streams are rendered by the rules anyway; rendering gives their logical id too.
      ids = new Map((model.byType.get(type) ?? []).map((r) => [renderResource(r).logicalId, r]));
      model.idsByType.set(type, ids);
    }
    const found = ids.get(logicalId);
    if (found !== undefined) {
      return found;
    }
  }
  model.byLogicalId ??= new Map(model.resources.map((r) => [logicalIdOf(r), r]));
  return model.byLogicalId.get(logicalId);
}

/** The CfnResources of the same stack (not of nested stacks) whose type is one of `types`, or all of them. */
export function stackResources(node: IConstruct, ...types: string[]): CfnResource[] {
  const model = stackModel(node);
  return types.length === 0 ? [...model.resources] : types.flatMap((t) => model.byType.get(t) ?? []);
}

/**
 * The CfnResources of every stack of the app (nested stacks and stages included) whose type is one
 * of `types`: for rules about what the whole app provides, such as an audit trail kept in a stack of its own.
 */
export function appResources(node: IConstruct, ...types: string[]): CfnResource[] {
  const root = node.node.root;
  let all = memo?.apps.get(root);
  if (all === undefined) {
    all = root.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
    memo?.apps.set(root, all);
  }
  return all.filter((r) => types.includes(r.cfnResourceType));
}

/** The resource of the same stack with this logical id. */
export function stackResource(node: IConstruct, logicalId: string): CfnResource | undefined {
  return findByLogicalId(stackModel(node), logicalId);
}

/** The `ResourceIndex` of a resource's stack, for `resolveReferences`. */
export function stackIndex(node: IConstruct): ResourceIndex {
  const model = stackModel(node);
  if (model.index !== undefined) {
    return model.index;
  }
  const names = new Map<string, Map<string, string>>();
  const namesOf = (types: readonly string[]): Map<string, string> => {
    const key = types.join(',');
    let map = names.get(key);
    if (map === undefined) {
      map = new Map();
      for (const r of types.flatMap((t) => model.byType.get(t) ?? [])) {
        const rendered = renderResource(r);
        const name = literalName(rendered.type, rendered.properties);
        if (name !== undefined) {
          map.set(rendered.logicalId, name);
        }
      }
      names.set(key, map);
    }
    return map;
  };
  const index: ResourceIndex = {
    typeOf: (logicalId) => findByLogicalId(model, logicalId)?.cfnResourceType,
    namedResources: namesOf,
    namedResource: (types, name) => [...namesOf(types)].find(([, n]) => n === name)?.[0],
  };
  if (memo !== undefined) {
    model.index = index;
  }
  return index;
}

/** Every reference form in `value` (a property of `node`), resolved against `node`'s stack. */
export function resolveIn(node: IConstruct, value: unknown): ResolvedReferences {
  return resolveReferences(value, stackIndex(node));
}

/**
 * The table definition of a table resource, with the Application Auto Scaling targets of the same
 * stack taken into account (a `Table` auto scales through separate resources), or undefined for
 * any other resource.
 */
export function tableDefinition(node: CfnResource, scaling = false): TableDefinition | undefined {
  if (!isTableType(node.cfnResourceType)) {
    return undefined;
  }
  // Only an `AWS::DynamoDB::Table` scales through separate resources.
  const withScaling = scaling && node.cfnResourceType === TableResourceType.TABLE;
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

function parseTableDefinition(node: CfnResource, withScaling: boolean): TableDefinition {
  const table = renderResource(node);
  const resource = toTemplateResource(table);
  if (!withScaling || table.type !== TableResourceType.TABLE) {
    return parseTable(table.logicalId, resource, undefined);
  }
  return parseTable(table.logicalId, resource, stackScaling(node).get(table.logicalId));
}

/** The scalable targets of every `AWS::DynamoDB::Table` of the node's stack, read once per validation. */
function stackScaling(node: CfnResource): Map<string, ScalingTargets> {
  const model = stackModel(node);
  if (model.scaling !== undefined) {
    return model.scaling;
  }
  const resources: Record<string, any> = {};
  for (const r of stackResources(node, TableResourceType.TABLE, 'AWS::ApplicationAutoScaling::ScalableTarget')) {
    const rendered = renderResource(r);
    resources[rendered.logicalId] = toTemplateResource(rendered);
  }
  const scaling = collectScaling(resources);
  if (memo !== undefined) {
    model.scaling = scaling;
  }
  return scaling;
}

function toTemplateResource(r: RenderedResource): any {
  return {
    Type: r.type,
    Properties: r.properties,
    DeletionPolicy: r.deletionPolicy,
    UpdateReplacePolicy: r.updateReplacePolicy,
  };
}

/**
 * The table's L1 resource: the construct itself when it is a `CfnTable`/`CfnGlobalTable` (or a
 * `CfnInclude`d table), else its default child; undefined for an imported table or any other construct.
 */
export function tableResourceOf(table: IConstruct): CfnResource | undefined {
  for (const candidate of [table, table.node.defaultChild]) {
    if (candidate !== undefined && CfnResource.isCfnResource(candidate) && isTableType(candidate.cfnResourceType)) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * How a finding names a replica's region: the region itself, `StackRegion` for `{ Ref: AWS::Region }`
 * (a region-agnostic stack), `Unresolved` for any other intrinsic. Finding ids cannot hold JSON.
 */
export function regionName(replica: { readonly region?: string; readonly inStackRegion: boolean }): string {
  return replica.region ?? (replica.inStackRegion ? 'StackRegion' : 'Unresolved');
}
