import { parse } from 'path';
import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
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
}

/**
 * A CloudTrail trail or event data store of the app (any stack) records the table's data events: an
 * advanced event selector with `eventCategory` = `Data` and `resources.type` = `AWS::DynamoDB::Table`
 * whose `resources.ARN` conditions, if any, cover the table in any reference form (`Equals`, `StartsWith`,
 * `EndsWith`, and their negations, which exclude it), or a basic event selector with a data resource of
 * that type whose values cover it. A trail with `IsLogging` false, or an event data store with
 * `IngestionEnabled` false, records nothing. A selector naming tables the template cannot resolve
 * (`Fn::ImportValue` of no export of the app, a parameter) does not count: the finding then names it
 * (`Unresolved::<logical id>`). Global tables are recorded under the same resource type; a selector that
 * covers the table counts for all its replicas, although each replica is written in its own region under
 * its own ARN (docs/operations.md says what a global table needs).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const table = tableDefinition(node);
    if (table === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const unresolved = new Set<string>();
    for (const recorder of appResources(node, TRAIL, EVENT_DATA_STORE)) {
      const rendered = renderResource(recorder);
      const p = rendered.properties;
      if (isFalse(recorder.cfnResourceType === TRAIL ? p.IsLogging : p.IngestionEnabled)) {
        continue;
      }
      const matches = [
        ...asList(p.AdvancedEventSelectors).map((s) => advancedSelectorMatch(s, recorder, node, table)),
        ...asList(p.EventSelectors).map((s) => basicSelectorMatch(s, recorder, node, table)),
      ];
      if (matches.some((m) => m.matches)) {
        return NagRuleCompliance.COMPLIANT;
      }
      if (matches.some((m) => m.unresolved)) {
        unresolved.add(`Unresolved::${rendered.logicalId}`);
      }
    }
    return unresolved.size > 0 ? [...unresolved].sort() : NagRuleCompliance.NON_COMPLIANT;
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
    return { matches: true, unresolved: false };
  }
  return arnMatch(arn, recorder, tableNode, table);
}

/** A basic event selector: a data resource of type `AWS::DynamoDB::Table` whose values are ARN prefixes. */
function basicSelectorMatch(selector: any, recorder: CfnResource, tableNode: CfnResource, table: TableDefinition): ArnMatch {
  const resources = asList(selector?.DataResources).filter((r) => r?.Type === TABLE_RESOURCE_TYPE);
  const matches = resources.map((r) => arnMatch({ StartsWith: r.Values }, recorder, tableNode, table));
  return { matches: matches.some((m) => m.matches), unresolved: matches.some((m) => m.unresolved) };
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
  return {
    matches: included.matches && !excluded.matches && !excluded.unresolved,
    unresolved: (included.unresolved && !excluded.matches) || (included.matches && excluded.unresolved),
  };
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

/** `false` or `"false"` as CloudFormation reads a boolean; an intrinsic may be true. */
function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}
