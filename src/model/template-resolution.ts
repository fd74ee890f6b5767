/**
 * A template as CloudFormation would deploy it with one set of parameter values: `Ref`s to
 * parameters replaced by the values given or by the parameters' defaults (as `cdk deploy
 * --parameters Name=Value` gives them), `Fn::Sub`, `Fn::Join`, `Fn::Select` and `Fn::FindInMap`
 * computed where every part is known, `Conditions` evaluated with the same values, `Fn::If` decided,
 * `AWS::NoValue` dropped, and resources whose `Condition` is false left out.
 *
 * What cannot be known (a parameter without default or value, `Fn::ImportValue`, attributes of
 * other resources, pseudo parameters) stays as the intrinsic it was, and is listed.
 */

/** A property of a resource whose value depends on a condition (`Fn::If`). */
export interface ConditionalProperty {
  /** The property path, `StreamSpecification` or `Replicas.0.Region`. */
  readonly path: string;
  /** The condition's name. */
  readonly condition: string;
  /** The condition's value under the parameter values; undefined when it cannot be told. */
  readonly value?: boolean;
}

/** What the resolution knows of one resource. */
export interface ResolvedResource {
  /** The resource's `Condition`, when it has one. */
  readonly condition?: string;
  /** That condition's value; undefined when it cannot be told. */
  readonly conditionValue?: boolean;
  /** Properties decided by `Fn::If`. */
  readonly conditionalProperties: ConditionalProperty[];
}

/** A template resolved with one set of parameter values. */
export interface ResolvedTemplate {
  /** The template, resolved; resources whose condition is false are left out of `Resources`. */
  readonly template: any;
  /** The resources of the original template, by logical id: their conditions and conditional properties. */
  readonly resources: ReadonlyMap<string, ResolvedResource>;
  /** Parameters with neither a value given nor a default. */
  readonly unresolvedParameters: string[];
}

/**
 * Parses `Name=Value` pairs, as `cdk deploy --parameters` takes them (a stack prefix
 * `Stack:Name=Value` is accepted and dropped).
 *
 * @param label the option's name, for the error message
 */
export function parseParameterValues(label: string, pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = String(pair).indexOf('=');
    const name = eq < 0 ? '' : String(pair).slice(0, eq).replace(/^[^:]*:/, '');
    if (eq < 0 || !/^[A-Za-z0-9]+$/.test(name)) {
      throw new Error(`\`${label}\` has ${JSON.stringify(pair)}: write Name=Value, where Name is a template parameter (letters and digits), as \`cdk deploy --parameters\` takes it.`);
    }
    values[name] = String(pair).slice(eq + 1);
  }
  return values;
}

/**
 * Resolves a template with parameter values; parameters not given take their `Default`.
 *
 * @param template a CloudFormation template, as parsed JSON
 * @param values parameter values by name
 */
export function resolveTemplate(template: any, values: Readonly<Record<string, string>> = {}): ResolvedTemplate {
  const parameters: Record<string, any> = template?.Parameters ?? {};
  const known = new Map<string, unknown>();
  const unresolvedParameters: string[] = [];
  for (const [name, declaration] of Object.entries<any>(parameters)) {
    const raw = name in values ? values[name] : declaration?.Default;
    if (raw === undefined || raw === null) {
      unresolvedParameters.push(name);
      continue;
    }
    const text = Array.isArray(raw) ? raw.join(',') : String(raw);
    const type = String(declaration?.Type ?? 'String');
    known.set(name, type.startsWith('List<') || type === 'CommaDelimitedList' ? text.split(',').map((s) => s.trim()) : text);
  }
  const mappings = template?.Mappings ?? {};
  const conditionDeclarations: Record<string, unknown> = template?.Conditions ?? {};
  const conditions = new Map<string, boolean | undefined>();
  const evaluating = new Set<string>();

  const condition = (name: string): boolean | undefined => {
    if (conditions.has(name)) {
      return conditions.get(name);
    }
    if (evaluating.has(name) || !(name in conditionDeclarations)) {
      return undefined;
    }
    evaluating.add(name);
    const value = evaluate(conditionDeclarations[name]);
    evaluating.delete(name);
    conditions.set(name, value);
    return value;
  };

  const evaluate = (expression: unknown): boolean | undefined => {
    if (typeof expression === 'boolean') {
      return expression;
    }
    if (expression === null || typeof expression !== 'object' || Array.isArray(expression)) {
      return undefined;
    }
    const [fn] = Object.keys(expression);
    const arg = (expression as any)[fn];
    const list: unknown[] = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Condition':
        return typeof arg === 'string' ? condition(arg) : undefined;
      case 'Fn::Equals': {
        const [x, y] = list.map((v) => resolve(v, []));
        return !isPlain(x) || !isPlain(y) ? undefined : JSON.stringify(asText(x)) === JSON.stringify(asText(y));
      }
      case 'Fn::Not': {
        const v = evaluate(list[0]);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And': {
        const vs = list.map(evaluate);
        return vs.includes(false) ? false : (vs.includes(undefined) ? undefined : true);
      }
      case 'Fn::Or': {
        const vs = list.map(evaluate);
        return vs.includes(true) ? true : (vs.includes(undefined) ? undefined : false);
      }
      default:
        return undefined;
    }
  };

  let conditional: ConditionalProperty[] = [];

  /** The resolved value: what cannot be computed stays as written, its known parts resolved. */
  const resolve = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) {
      return value.map((v, i) => resolve(v, [...path, String(i)])).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    const v = value as Record<string, any>;
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = v[fn];
      switch (fn) {
        case 'Ref':
          if (arg === 'AWS::NoValue') {
            return NO_VALUE;
          }
          return typeof arg === 'string' && known.has(arg) ? known.get(arg) : value;
        case 'Fn::If': {
          if (!Array.isArray(arg) || typeof arg[0] !== 'string') {
            return value;
          }
          const chosen = condition(arg[0]);
          conditional.push({ path: path.join('.'), condition: arg[0], value: chosen });
          if (chosen === undefined) {
            const branch = (b: unknown) => {
              const r = resolve(b, path);
              return r === NO_VALUE ? b : r;
            };
            return { 'Fn::If': [arg[0], branch(arg[1]), branch(arg[2])] };
          }
          return resolve(chosen ? arg[1] : arg[2], path);
        }
        case 'Fn::Sub':
          return sub(arg, path);
        case 'Fn::Join': {
          const resolved = resolve(arg, path) as unknown[];
          if (Array.isArray(resolved) && typeof resolved[0] === 'string' && Array.isArray(resolved[1]) && resolved[1].every(isScalar)) {
            return resolved[1].map(String).join(resolved[0]);
          }
          return { 'Fn::Join': resolved };
        }
        case 'Fn::Select': {
          const resolved = resolve(arg, path) as unknown[];
          const index = Array.isArray(resolved) ? Number(resolved[0]) : NaN;
          if (Array.isArray(resolved) && Array.isArray(resolved[1]) && Number.isInteger(index) && index >= 0 && index < resolved[1].length) {
            return resolved[1][index];
          }
          return { 'Fn::Select': resolved };
        }
        case 'Fn::FindInMap': {
          const resolved = resolve(arg, path) as unknown[];
          if (Array.isArray(resolved) && resolved.slice(0, 3).every((k) => typeof k === 'string')) {
            const found = mappings?.[resolved[0] as string]?.[resolved[1] as string]?.[resolved[2] as string];
            if (found !== undefined) {
              return found;
            }
          }
          return { 'Fn::FindInMap': resolved };
        }
        default:
          break;
      }
    }
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const r = resolve(v[key], [...path, key]);
      if (r !== NO_VALUE) {
        result[key] = r;
      }
    }
    return result;
  };

  /** `Fn::Sub` with the known parameters and variables written in; a plain string when nothing unknown is left. */
  const sub = (arg: unknown, path: string[]): unknown => {
    const [text, variables] = Array.isArray(arg) ? arg : [arg, undefined];
    if (typeof text !== 'string') {
      return { 'Fn::Sub': arg };
    }
    const vars = variables !== null && typeof variables === 'object' ? resolve(variables, path) as Record<string, unknown> : {};
    let open = false;
    const written = text.replace(/\$\{([^}]*)\}/g, (whole: string, inner: string) => {
      const name = inner.trim();
      if (name.startsWith('!')) {
        open = true;
        return whole;
      }
      const value = name in vars ? vars[name] : (known.has(name) ? known.get(name) : undefined);
      if (isScalar(value)) {
        return String(value);
      }
      open = true;
      return whole;
    });
    if (!open) {
      return written;
    }
    const remaining = Object.fromEntries(Object.entries(vars).filter(([name]) => written.includes(`\${${name}}`)));
    return { 'Fn::Sub': Object.keys(remaining).length > 0 ? [written, remaining] : written };
  };

  const resources = new Map<string, ResolvedResource>();
  const resolvedResources: Record<string, unknown> = {};
  for (const [logicalId, resource] of Object.entries<any>(template?.Resources ?? {})) {
    conditional = [];
    const name = typeof resource?.Condition === 'string' ? resource.Condition : undefined;
    const conditionValue = name === undefined ? undefined : condition(name);
    const resolved = resolve(resource, []);
    resources.set(logicalId, { condition: name, conditionValue, conditionalProperties: conditional });
    if (conditionValue !== false) {
      resolvedResources[logicalId] = resolved;
    }
  }
  return {
    template: { ...template, Resources: resolvedResources },
    resources,
    unresolvedParameters,
  };
}

/** `Ref: AWS::NoValue`: the property or list element is left out. */
const NO_VALUE = Symbol('AWS::NoValue');

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A value `Fn::Equals` can compare: a scalar or a list of scalars. */
function isPlain(value: unknown): boolean {
  return isScalar(value) || (Array.isArray(value) && value.every(isScalar));
}

function asText(value: unknown): unknown {
  return Array.isArray(value) ? value.map(String) : String(value);
}
