import { parse } from 'path';
import { CfnOutput, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { coversTable, resolveReferences, ResolvedReferences } from '../../../model/references';
import { appResources, renderResource, stackIndex, stackResource, tableDefinition } from '../../../model/rendering';
import { TableDefinition } from '../../../model/table-definition';

const TRAIL = 'AWS::CloudTrail::Trail';
const EVENT_DATA_STORE = 'AWS::CloudTrail::EventDataStore';
const TABLE_RESOURCE_TYPE = 'AWS::DynamoDB::Table';

/** How the ARN part of one event selector matches the table. */
interface ArnMatch {
  readonly matches: boolean;
  /** A value that may name the table but cannot be read here (`Fn::ImportValue`, a parameter). */
  readonly unresolved: boolean;
  /**
   * Whether the selector names the table in every region: no ARN condition, or only conditions without a
   * region (`StartsWith` `arn:aws:dynamodb`, `EndsWith` `:table/<name>`). An ARN of the table's own
   * reference names its replica in the stack's region only.
   */
  readonly everyRegion?: boolean;
}

/**
 * A CloudTrail trail or event data store of the app (any stack) records the table's data events: an
 * advanced event selector with `eventCategory` = `Data` and `resources.type` = `AWS::DynamoDB::Table`
 * whose `resources.ARN` conditions, if any, cover the table in any reference form (`Equals`, `StartsWith`,
 * `EndsWith`, and their negations, which exclude it), or a basic event selector with a data resource of
 * that type whose values cover it. A trail with `IsLogging` false, or an event data store with
 * `IngestionEnabled` false, records nothing. A selector naming tables the template cannot resolve
 * (`Fn::ImportValue` of no export of the app, a parameter) does not count: the finding then names it
 * (`Unresolved::<logical id>`). Global tables are recorded under the same resource type, each replica in
 * its own region under its own ARN: a replica in another region than the stack's is recorded only by a
 * multi-region trail (`IsMultiRegionTrail`) or event data store (`MultiRegionEnabled`, on by default)
 * whose selector names the table in every region; else the finding names it (`Replica::<region>`).
 * A single-region trail records only its own stack's region.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const tableRegion = literalRegion(Stack.of(node));
    const unresolved = new Set<string>();
    const unrecordedReplicas = new Set(replicaRegionsBeyond(table, tableRegion));
    let recorded = false;
    for (const recorder of appResources(node, TRAIL, EVENT_DATA_STORE)) {
      const rendered = renderResource(recorder);
      const p = rendered.properties;
      if (isFalse(recorder.cfnResourceType === TRAIL ? p.IsLogging : p.IngestionEnabled)) {
        continue;
      }
      const multiRegion = recorder.cfnResourceType === TRAIL ? isTrue(p.IsMultiRegionTrail) : !isFalse(p.MultiRegionEnabled);
      const recorderRegion = literalRegion(Stack.of(recorder));
      if (!multiRegion && tableRegion !== undefined && recorderRegion !== undefined && recorderRegion !== tableRegion) {
        continue;
      }
      const matches = [
        ...asList(p.AdvancedEventSelectors).map((s) => advancedSelectorMatch(s, recorder, node, table)),
        ...asList(p.EventSelectors).map((s) => basicSelectorMatch(s, recorder, node, table)),
      ];
      recorded ||= matches.some((m) => m.matches);
      if (multiRegion && matches.some((m) => m.matches && m.everyRegion)) {
        unrecordedReplicas.clear();
      }
      if (matches.some((m) => m.unresolved)) {
        unresolved.add(`Unresolved::${rendered.logicalId}`);
      }
    }
    if (!recorded) {
      return unresolved.size > 0 ? [...unresolved].sort() : NagRuleCompliance.NON_COMPLIANT;
    }
    return unrecordedReplicas.size > 0 ? [...unrecordedReplicas].sort().map((r) => `Replica::${r}`) : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

/** An advanced event selector: every field selector must hold; the ARN field is read against the table. */
function advancedSelectorMatch(selector: any, recorder: CfnResource, tableNode: CfnResource, table: TableDefinition): ArnMatch {
  const fields = asList(selector?.FieldSelectors);
  const field = (name: string) => fields.find((f) => f?.Field === name);
  const category = field('eventCategory');
  const type = field('resources.type');
  if (!asList(category?.Equals).includes('Data') || !asList(type?.Equals).includes(TABLE_RESOURCE_TYPE)) {
    return { matches: false, unresolved: false };
  }
  const arn = field('resources.ARN');
  if (arn === undefined) {
    return { matches: true, unresolved: false, everyRegion: true };
  }
  return arnMatch(arn, recorder, tableNode, table);
}

/** A basic event selector: a data resource of type `AWS::DynamoDB::Table` whose values are ARN prefixes. */
function basicSelectorMatch(selector: any, recorder: CfnResource, tableNode: CfnResource, table: TableDefinition): ArnMatch {
  const resources = asList(selector?.DataResources).filter((r) => r?.Type === TABLE_RESOURCE_TYPE);
  const matches = resources.map((r) => arnMatch({ StartsWith: r.Values }, recorder, tableNode, table));
  return {
    matches: matches.some((m) => m.matches),
    unresolved: matches.some((m) => m.unresolved),
    everyRegion: matches.some((m) => m.matches && m.everyRegion),
  };
}

/**
 * The `resources.ARN` field selector: the table matches one of its positive conditions (or there is
 * none) and none of its negative ones. A wildcard on a table without a literal name may match it, so
 * it counts as matching both ways: covered by `StartsWith`, excluded by `NotStartsWith`.
 */
function arnMatch(fieldSelector: any, recorder: CfnResource, tableNode: CfnResource, table: TableDefinition): ArnMatch {
  const positive = [fieldSelector.Equals, fieldSelector.StartsWith, fieldSelector.EndsWith];
  const covered = (equals: unknown, startsWith: unknown, endsWith: unknown) => {
    const results = [
      ...asList(equals).map((v) => covers(resolve(v, recorder, tableNode), table)),
      ...asList(startsWith).map((v) => (isPrefixOfEveryTable(v)
        ? { matches: true, unresolved: false }
        : covers(resolve({ 'Fn::Join': ['', [v, '*']] }, recorder, tableNode), table))),
      ...asList(endsWith).map((v) => ({ matches: typeof v === 'string' && endsTableArn(v, table), unresolved: typeof v !== 'string' })),
    ];
    return { matches: results.some((r) => r.matches), unresolved: results.some((r) => r.unresolved) };
  };
  const included = positive.every((values) => values === undefined)
    ? { matches: true, unresolved: false }
    : covered(fieldSelector.Equals, fieldSelector.StartsWith, fieldSelector.EndsWith);
  const excluded = covered(fieldSelector.NotEquals, fieldSelector.NotStartsWith, fieldSelector.NotEndsWith);
  const positives = [...asList(fieldSelector.StartsWith).filter(isRegionFreePrefix),
    ...asList(fieldSelector.EndsWith).filter((v) => typeof v === 'string' && endsTableArn(v, table))];
  const matches = included.matches && !excluded.matches && !excluded.unresolved;
  return {
    matches,
    unresolved: (included.unresolved && !excluded.matches) || (included.matches && excluded.unresolved),
    everyRegion: matches && (positive.every((values) => values === undefined) || positives.length > 0),
  };
}

/** A literal prefix of every DynamoDB ARN in every region: `arn:aws:dynamodb` or `arn:aws:dynamodb:`. */
function isRegionFreePrefix(value: unknown): boolean {
  return typeof value === 'string' && /^arn:[^:]*:dynamodb:?$/.test(value);
}

/** The stack's region when it is known at synthesis. */
function literalRegion(stack: Stack): string | undefined {
  return Token.isUnresolved(stack.region) ? undefined : stack.region;
}

/**
 * The regions of the table's replicas other than the stack's: replicas named with a literal region. In a
 * stack whose region is not known, a lone replica is taken to be the stack's (CloudFormation requires one).
 */
function replicaRegionsBeyond(table: TableDefinition, stackRegion: string | undefined): string[] {
  const named = table.replicas.filter((r) => !r.inStackRegion && r.region !== undefined).map((r) => r.region!);
  if (stackRegion === undefined) {
    return table.replicas.length > 1 ? named : [];
  }
  return named.filter((r) => r !== stackRegion);
}

function covers(refs: ResolvedReferences, table: TableDefinition): ArnMatch {
  return { matches: coversTable(refs, table.logicalId, table.tableName), unresolved: refs.unresolved.length > 0 };
}

/** A literal ARN prefix that stops before the table name (`arn:aws:dynamodb`, `arn:aws:dynamodb:us-east-1:`): every table. */
function isPrefixOfEveryTable(value: unknown): boolean {
  return typeof value === 'string' && /^arn:[^:]*:dynamodb(:|$)/.test(value) && !value.includes(':table/');
}

/** Whether a table ARN ends with a literal suffix; a table without a literal name may match any suffix. */
function endsTableArn(suffix: string, table: TableDefinition): boolean {
  if (table.tableName === undefined) {
    return true;
  }
  const tail = `table/${table.tableName}`;
  return tail.endsWith(suffix) || suffix.endsWith(`:${tail}`);
}

/**
 * The references of a selector value. A recorder in another stack of the app names the table through an
 * export of the table's stack (`Fn::ImportValue` after synthesis, the table's own reference before),
 * so the value is read against the table's stack, with the imports of its exports replaced by what they export.
 */
function resolve(value: unknown, recorder: CfnResource, tableNode: CfnResource): ResolvedReferences {
  const tableStack = Stack.of(tableNode);
  if (Stack.of(recorder) === tableStack) {
    return resolveReferences(value, stackIndex(tableNode));
  }
  const refs = resolveReferences(withExports(value, tableStack), stackIndex(tableNode));
  // A logical id of the recorder's own stack is not a resource of the table's.
  return { ...refs, resources: refs.resources.filter((r) => stackResource(recorder, r.logicalId) === undefined) };
}

/** `value` with each `Fn::ImportValue` of an export of `stack` replaced by the exported value. */
function withExports(value: unknown, stack: Stack): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => withExports(v, stack));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const v = value as Record<string, unknown>;
  const imported = v['Fn::ImportValue'];
  if (typeof imported === 'string' && Object.keys(v).length === 1) {
    const output = stack.node.findAll().find((c): c is CfnOutput => c instanceof CfnOutput && Stack.of(c) === stack
      && stack.resolve(c.exportName) === imported);
    return output === undefined ? value : stack.resolve(output.value);
  }
  return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, withExports(inner, stack)]));
}

function asList(value: unknown): any[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** `true` or `"true"` as CloudFormation reads a boolean; an intrinsic may be false. */
function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** `false` or `"false"` as CloudFormation reads a boolean; an intrinsic may be true. */
function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}
