import { Stack, Token } from 'aws-cdk-lib';
import { Attribute, AttributeType, CfnGlobalTable, SchemaOptions, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { renderResource } from '../model/rendering';
import { hostError } from '../private/host-language';

/** One element of a key schema: an attribute name and its role (`HASH` or `RANGE`). */
interface KeyElement {
  readonly name: string;
  readonly keyType: string;
}

/** The keys and stream of a table resource: of the table (index name '') and of each index, and the stream view type. */
interface KeysAndStream {
  readonly keySchemas: Map<string, KeyElement[]>;
  readonly attributeTypes: Map<string, string>;
  readonly streamViewType?: string;
}

/** A property in either spelling: as the L1 names it (`keySchema`) or as the template does (`KeySchema`). */
function field(value: any, templateName: string): any {
  return value?.[templateName] ?? value?.[templateName[0].toLowerCase() + templateName.slice(1)];
}

/** A list property; anything else (absent, or an intrinsic such as `Fn::If` over whole lists) reads as empty. */
function list(value: any, templateName: string): any[] {
  const found = field(value, templateName);
  return Array.isArray(found) ? found : [];
}

function readKeysAndStream(properties: any): KeysAndStream {
  const keyElements = (owner: any): KeyElement[] => list(owner, 'KeySchema')
    .map((k) => ({ name: field(k, 'AttributeName'), keyType: field(k, 'KeyType') }));
  const keySchemas = new Map<string, KeyElement[]>([['', keyElements(properties)]]);
  for (const index of [...list(properties, 'GlobalSecondaryIndexes'), ...list(properties, 'LocalSecondaryIndexes')]) {
    keySchemas.set(field(index, 'IndexName'), keyElements(index));
  }
  const attributeTypes = new Map<string, string>(list(properties, 'AttributeDefinitions')
    .map((a: any) => [field(a, 'AttributeName'), field(a, 'AttributeType')]));
  return { keySchemas, attributeTypes, streamViewType: field(field(properties, 'StreamSpecification'), 'StreamViewType') };
}

/**
 * The keys and stream of a `CfnGlobalTable` as its own properties hold them, resolved: what `TableV2` built,
 * plus whatever an escape hatch assigned to those properties (`cfn.streamSpecification = ...`).
 */
function fromProperties(cfn: CfnGlobalTable): KeysAndStream {
  const stack = Stack.of(cfn);
  return readKeysAndStream({
    keySchema: stack.resolve(cfn.keySchema),
    attributeDefinitions: stack.resolve(cfn.attributeDefinitions),
    globalSecondaryIndexes: stack.resolve(cfn.globalSecondaryIndexes),
    localSecondaryIndexes: stack.resolve(cfn.localSecondaryIndexes),
    streamSpecification: stack.resolve(cfn.streamSpecification),
  });
}

/**
 * The partition and sort key of a table resource, or of one of its indexes, from its own properties, in
 * `Table.schema()`'s shape.
 */
export function schemaOf(cfn: CfnGlobalTable, where: string, indexName?: string): SchemaOptions {
  const state = fromProperties(cfn);
  const schema = state.keySchemas.get(indexName ?? '');
  if (schema === undefined) {
    const known = [...state.keySchemas.keys()].filter((n) => n !== '');
    throw hostError(`${where}: \`schema('${indexName}')\`: the table has no index '${indexName}'; its indexes: ${known.length > 0 ? known.join(', ') : 'none'}.`);
  }
  const attribute = (keyType: string): Attribute | undefined => {
    const names = schema.filter((k) => k.keyType === keyType).map((k) => k.name);
    if (names.length > 1) {
      throw hostError(`${where}: \`schema(${indexName === undefined ? '' : `'${indexName}'`})\`: the ${keyType === 'HASH' ? 'partition' : 'sort'} key `
        + `is a multi-attribute key (${names.join(', ')}), which \`SchemaOptions\` cannot hold: read the index's \`partitionKeys\`/\`sortKeys\` where it is declared.`);
    }
    if (names.length === 0) {
      return undefined;
    }
    const type = state.attributeTypes.get(names[0]);
    return { name: names[0], type: (type ?? AttributeType.STRING) as AttributeType };
  };
  return { partitionKey: attribute('HASH'), sortKey: attribute('RANGE') };
}

/** The stream view type a table resource's own properties declare, or undefined without a stream. */
export function streamViewTypeOf(cfn: CfnGlobalTable, where: string): StreamViewType | undefined {
  const viewType = fromProperties(cfn).streamViewType;
  if (viewType !== undefined && !(Object.values(StreamViewType) as unknown[]).includes(viewType)) {
    throw hostError(`${where}: \`streamViewType\` is ${Token.isUnresolved(viewType) || typeof viewType !== 'string' ? 'not known at synthesis' : `'${viewType}'`}; `
      + `it must be one of ${Object.values(StreamViewType).join(', ')}: set \`dynamoStream\` to a \`StreamViewType\`.`);
  }
  return viewType as StreamViewType | undefined;
}

/**
 * Where the template disagrees with the resource's own properties on keys or stream: a raw override
 * (`addPropertyOverride`), which no construct can read, changed what `schema()` and `streamViewType` report.
 * One message each, without the path (the construct's validation prefixes it).
 */
export function rawOverrideProblems(cfn: CfnGlobalTable): string[] {
  const own = fromProperties(cfn);
  const template = readKeysAndStream(renderResource(cfn).properties);
  const fix = 'set it through the table\'s props (`partitionKey`, `sortKey`, `dynamoStream`, the index props), or assign the L1 property '
    + '(`cfn.keySchema`, `cfn.attributeDefinitions`, `cfn.streamSpecification`), which `schema()`, `streamViewType` and the stream consumer read.';
  const problems: string[] = [];
  const describe = (schema: KeyElement[] | undefined, types: Map<string, string>) =>
    schema === undefined ? 'absent' : schema.map((k) => `${k.name} ${k.keyType} ${types.get(k.name) ?? '?'}`).join(', ');
  for (const name of new Set([...own.keySchemas.keys(), ...template.keySchemas.keys()])) {
    const before = describe(own.keySchemas.get(name), own.attributeTypes);
    const after = describe(template.keySchemas.get(name), template.attributeTypes);
    if (before !== after) {
      const what = name === '' ? 'the key schema' : `the key schema of index '${name}'`;
      problems.push(`${what[0].toUpperCase()}${what.slice(1)} is overridden in the template (${after}) and differs from the table's (${before}): ${fix}`);
    }
  }
  if (JSON.stringify(own.streamViewType) !== JSON.stringify(template.streamViewType)) {
    problems.push(`The stream view type is overridden in the template (${JSON.stringify(template.streamViewType) ?? 'no stream'}) `
      + `and differs from the table's (${JSON.stringify(own.streamViewType) ?? 'no stream'}): ${fix}`);
  }
  return problems;
}
