/**
 * The one reader of references between resources of a template. Hand-written and YAML templates
 * name a resource in many ways, and every rule relating two resources must see all of them:
 *
 * - `{ Ref: X }`, `{ Fn::GetAtt: [X, Arn] }` and the string form `{ Fn::GetAtt: 'X.Arn' }`;
 * - `{ Fn::Sub: 'arn:...:table/${X}' }`, `${X.Arn}`, and `Fn::Sub` variables;
 * - `{ Fn::Join: ['', [...]] }` with references among the parts;
 * - a literal or composed ARN naming a table by its `TableName` (or a Kinesis stream by its `Name`);
 * - wildcard ARNs (`*`, `arn:aws:dynamodb:*:*:table/*`, `table/orders-*`);
 * - `Fn::ImportValue` and `Ref`s to parameters, which are reported as unresolved: the value may
 *   name anything, so a rule must not read them as "names nothing".
 *
 * `Fn::If` and `Fn::Select` count every branch: a reference that may hold is a reference.
 */

/** What the resolver needs to know about the resources of one template. */
export interface ResourceIndex {
  /** The type of each resource, by logical id. */
  typeOf(logicalId: string): string | undefined;
  /** The logical id of the resource of one of `types` whose literal name (`TableName`, stream `Name`) is `name`. */
  namedResource(types: readonly string[], name: string): string | undefined;
  /** The literal names of the resources of `types`, by logical id, for wildcard matching. */
  namedResources(types: readonly string[]): ReadonlyMap<string, string>;
}

/** A resource of the same template that a value names. */
export interface ResourceReference {
  readonly logicalId: string;
  /** `Arn`, `StreamArn`...; undefined for a `Ref` (which for a table is its name). */
  readonly attribute?: string;
  /** How the template names it: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `TableName`, `Name`. */
  readonly form: string;
}

/** Everything one value (a policy's `Resource`, an `EventSourceArn`, a backup selection) can name. */
export interface ResolvedReferences {
  /** Resources of the same template the value names, each once per attribute. */
  readonly resources: ResourceReference[];
  /** Whether the value is `*` or a DynamoDB ARN whose table part holds a wildcard. */
  readonly wildcardTable: boolean;
  /** The wildcard patterns of table names the value covers (`*` for `*` and `table/*`). */
  readonly tablePatterns: string[];
  /** Whether the value is, or contains, a DynamoDB ARN written out (to a table of this template or not). */
  readonly dynamoDBArn: boolean;
  /** The parts that may name anything: `Fn::ImportValue`, `Ref:<parameter>`, an unknown `Fn::GetAtt`. */
  readonly unresolved: string[];
}

const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'];
const STREAM_TYPES = ['AWS::Kinesis::Stream'];

/** One piece of a string being composed: literal text, or a reference standing for unknown text. */
type Piece = { readonly text: string } | { readonly ref: RefPiece };
interface RefPiece {
  readonly logicalId?: string;
  readonly attribute?: string;
  readonly form: string;
  readonly unresolved?: string;
}

/** Marks a reference inside composed text; never part of a name. */
const HOLE = '\u0000';

/**
 * Resolves every reference form in `value` against the resources of `index`.
 *
 * @param value a property value as the template shows it (a string, an intrinsic, a list of them)
 */
export function resolveReferences(value: unknown, index: ResourceIndex): ResolvedReferences {
  const found = new Map<string, ResourceReference>();
  const unresolved = new Set<string>();
  const tablePatterns = new Set<string>();
  let dynamoDBArn = false;
  const add = (ref: ResourceReference) => {
    const key = `${ref.logicalId}.${ref.attribute ?? ''}`;
    if (!found.has(key)) {
      found.set(key, ref);
    }
  };

  for (const pieces of alternatives(value)) {
    const text = pieces.map((p) => ('text' in p ? p.text : HOLE)).join('');
    const refs = pieces.filter((p): p is { ref: RefPiece } => 'ref' in p).map((p) => p.ref);
    for (const ref of refs) {
      if (ref.unresolved !== undefined) {
        unresolved.add(ref.unresolved);
      } else if (ref.logicalId !== undefined) {
        if (index.typeOf(ref.logicalId) === undefined) {
          unresolved.add(`${ref.form === 'Ref' ? 'Ref' : 'Fn::GetAtt'}:${ref.logicalId}`);
        } else {
          add({ logicalId: ref.logicalId, attribute: ref.attribute ?? arnAttribute(text, refs.length === 1), form: ref.form });
        }
      }
    }
    if (text === '*') {
      tablePatterns.add('*');
      continue;
    }
    const table = /:dynamodb:[^:]*:[^:]*:(table\/([^/]*)(\/.*)?|\*)$/.exec(text);
    if (table !== null) {
      dynamoDBArn = true;
      const name = table[2];
      if (name === undefined || (name.includes('*') && !name.includes(HOLE))) {
        tablePatterns.add(name ?? '*');
        if (name !== undefined) {
          for (const [logicalId, tableName] of index.namedResources(TABLE_TYPES)) {
            if (globMatches(name, tableName)) {
              add({ logicalId, attribute: 'Arn', form: 'TableName' });
            }
          }
        }
      } else if (!name.includes(HOLE)) {
        const logicalId = index.namedResource(TABLE_TYPES, name);
        if (logicalId !== undefined) {
          add({ logicalId, attribute: (table[3] ?? '').startsWith('/stream/') ? 'StreamArn' : 'Arn', form: 'TableName' });
        }
      }
    }
    const stream = /:kinesis:[^:]*:[^:]*:stream\/([^/]+)$/.exec(text);
    if (stream !== null && !stream[1].includes(HOLE)) {
      const logicalId = index.namedResource(STREAM_TYPES, stream[1]);
      if (logicalId !== undefined) {
        add({ logicalId, attribute: 'Arn', form: 'Name' });
      }
    }
  }
  return {
    resources: [...found.values()],
    wildcardTable: tablePatterns.size > 0,
    tablePatterns: [...tablePatterns].sort(),
    dynamoDBArn,
    unresolved: [...unresolved].sort(),
  };
}

/**
 * Whether resolved references cover one table: they name it, or a wildcard matches its literal
 * name (a table without a literal name may be matched by any wildcard).
 */
export function coversTable(refs: ResolvedReferences, logicalId: string, tableName: string | undefined): boolean {
  return refs.resources.some((r) => r.logicalId === logicalId)
    || refs.tablePatterns.some((p) => tableName === undefined || globMatches(p, tableName));
}

/** A `Ref` written into a DynamoDB ARN (`table/${Table}`, `table/${Table}/stream/*`) stands for the ARN. */
function arnAttribute(text: string, single: boolean): string | undefined {
  if (!single || !/:dynamodb:[^:]*:[^:]*:table\/\u0000/.test(text)) {
    return undefined;
  }
  return /table\/\u0000\/stream\//.test(text) ? 'StreamArn' : 'Arn';
}

/** Whether an IAM-style wildcard pattern (`*`, `?`) matches a name. */
export function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(name);
}

/**
 * The strings a value may stand for, each as a list of pieces. A list or an `Fn::If` gives one
 * alternative per element or branch.
 */
function alternatives(value: unknown): Piece[][] {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value === 'string') {
    return [[{ text: value }]];
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return [[{ text: String(value) }]];
  }
  if (Array.isArray(value)) {
    return value.flatMap(alternatives);
  }
  if (typeof value !== 'object') {
    return [];
  }
  const v = value as Record<string, any>;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = v[fn];
    switch (fn) {
      case 'Ref':
        if (typeof arg === 'string') {
          // Pseudo parameters (AWS::Region, AWS::AccountId...) are parts of an ARN, not references.
          return [[arg.startsWith('AWS::') ? { text: HOLE } : { ref: { logicalId: arg, form: 'Ref' } }]];
        }
        break;
      case 'Fn::GetAtt': {
        const [logicalId, ...attribute] = typeof arg === 'string' ? splitOnce(arg) : (Array.isArray(arg) ? arg : []);
        if (typeof logicalId === 'string') {
          return [[{ ref: { logicalId, attribute: typeof attribute[0] === 'string' ? attribute.join('.') : undefined, form: 'Fn::GetAtt' } }]];
        }
        break;
      }
      case 'Fn::Sub':
        return sub(arg);
      case 'Fn::Join':
        return join(arg);
      case 'Fn::ImportValue':
        return [[{ ref: { form: 'Fn::ImportValue', unresolved: 'Fn::ImportValue' } }]];
      case 'Fn::If':
        return Array.isArray(arg) ? arg.slice(1).flatMap(alternatives) : [];
      case 'Fn::Select':
        return Array.isArray(arg) ? alternatives(arg[1]) : [];
      default:
        if (fn.startsWith('Fn::')) {
          // Fn::Split, Fn::GetAZs, Fn::FindInMap...: references inside still count, the text is unknown.
          return [[{ text: HOLE }], ...alternatives(arg).filter((pieces) => pieces.some((p) => 'ref' in p))];
        }
    }
  }
  // A plain object (a statement, a condition block): every value is a place a reference may be.
  return keys.flatMap((k) => alternatives(v[k]));
}

function splitOnce(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** `Fn::Sub`: `${X}` is a `Ref`, `${X.Attr}` a `Fn::GetAtt`, `${!X}` literal text, variables substituted. */
function sub(arg: unknown): Piece[][] {
  const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
  if (typeof template !== 'string') {
    return [];
  }
  const vars: Record<string, unknown> = variables !== null && typeof variables === 'object' ? variables as Record<string, unknown> : {};
  let results: Piece[][] = [[]];
  const append = (options: Piece[][]) => {
    results = results.flatMap((r) => (options.length === 0 ? [r] : options.map((o) => [...r, ...o])));
  };
  const pattern = /\$\{([^}]*)\}/g;
  let last = 0;
  for (let m = pattern.exec(template); m !== null; m = pattern.exec(template)) {
    append([[{ text: template.slice(last, m.index) }]]);
    last = m.index + m[0].length;
    const name = m[1].trim();
    if (name.startsWith('!')) {
      append([[{ text: `\${${name.slice(1)}}` }]]);
    } else if (name in vars) {
      append(alternatives(vars[name]).slice(0, 4));
    } else if (name.startsWith('AWS::')) {
      append([[{ text: HOLE }]]);
    } else {
      const [logicalId, attribute] = splitOnce(name);
      append([[{ ref: { logicalId, attribute, form: 'Fn::Sub' } }]]);
    }
  }
  append([[{ text: template.slice(last) }]]);
  return results;
}

/** `Fn::Join`: the parts joined by the delimiter; a list-valued part is unknown text with its references. */
function join(arg: unknown): Piece[][] {
  if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
    return alternatives(arg);
  }
  const [delimiter, parts] = arg as [string, unknown[]];
  let results: Piece[][] = [[]];
  parts.forEach((part, i) => {
    const options = alternatives(part).slice(0, 4);
    const separator: Piece[] = i > 0 && delimiter !== '' ? [{ text: delimiter }] : [];
    results = results.flatMap((r) => (options.length === 0 ? [[...r, ...separator]] : options.map((o) => [...r, ...separator, ...o.map((p) => ('ref' in p ? { ref: { ...p.ref, form: p.ref.form === 'Ref' || p.ref.form === 'Fn::GetAtt' ? 'Fn::Join' : p.ref.form } } : p))])));
  });
  return results;
}

/** A `ResourceIndex` over the `Resources` section of a template, as parsed JSON. */
export function templateIndex(resources: Record<string, any>): ResourceIndex {
  const names = new Map<string, Map<string, string>>();
  const namesOf = (types: readonly string[]): Map<string, string> => {
    const key = types.join(',');
    let map = names.get(key);
    if (map === undefined) {
      map = new Map();
      for (const [logicalId, r] of Object.entries(resources)) {
        const name = types.includes(r?.Type) ? literalName(r.Type, r.Properties) : undefined;
        if (name !== undefined) {
          map.set(logicalId, name);
        }
      }
      names.set(key, map);
    }
    return map;
  };
  return {
    typeOf: (logicalId) => resources[logicalId]?.Type,
    namedResources: namesOf,
    namedResource: (types, name) => [...namesOf(types)].find(([, n]) => n === name)?.[0],
  };
}

/** The literal name a template gives a table (`TableName`) or a Kinesis stream (`Name`). */
export function literalName(type: string, properties: any): string | undefined {
  const name = TABLE_TYPES.includes(type) ? properties?.TableName : properties?.Name;
  return typeof name === 'string' ? name : undefined;
}
