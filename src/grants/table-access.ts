import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Grant, IGrantable, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { TenantKey } from './tenant-key';
import { TenantKeyLayout } from './tenant-key-layout';
import { MultiTenantTable } from '../model/multi-tenant';
import { tableShape } from '../model/table-shape';
import { hostError } from '../private/host-language';

/** The most attributes a `dynamodb:Attributes` condition of this library lists. */
const MAX_GRANTED_ATTRIBUTES = 100;

/** A group of DynamoDB data-plane actions a grant can include. */
export enum TableOperation {
  /** `GetItem`, `BatchGetItem` and `ConditionCheckItem`: reads of items whose full key is known. */
  POINT_READ = 'POINT_READ',
  /** `Query` on the table and its indexes: reads of one item collection. */
  QUERY = 'QUERY',
  /** `PutItem`, `UpdateItem`, `DeleteItem` and `BatchWriteItem` (and so `TransactWriteItems`). */
  WRITE = 'WRITE',
  /** `Scan` on the table and its indexes: reads every item. Never included unless asked for. */
  SCAN = 'SCAN',
}

// TransactGetItems and TransactWriteItems are authorized per item as GetItem, PutItem, UpdateItem,
// DeleteItem and ConditionCheckItem, so the same condition confines them to the tenant.
const ACTIONS: Record<TableOperation, string[]> = {
  [TableOperation.POINT_READ]: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'],
  [TableOperation.QUERY]: ['dynamodb:Query'],
  [TableOperation.WRITE]: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  [TableOperation.SCAN]: ['dynamodb:Scan'],
};
const ORDER = [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE, TableOperation.SCAN];

const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** Where the tenant id sits in the partition key of one secondary index. */
export interface IndexTenantKeyLayout {
  /** The index name. */
  readonly indexName: string;
  /** Where the tenant id sits in the index's partition key values. */
  readonly layout: TenantKeyLayout;
}

/** Options shared by every `TableAccess` factory. */
export interface TableAccessOptions {
  /**
   * Restrict the grant to the items of one tenant (`dynamodb:LeadingKeys`): the tenant id, placed in
   * the partition key as `tenantKeyLayout` says, must match every partition key of the request.
   *
   * Note: every request must then name its partition keys, so `TableOperation.SCAN` cannot be combined
   * with a tenant key, and PartiQL is never granted; a query on an index is checked against the index's
   * partition key, so every index the grant covers must carry the tenant (see `indexTenantKeyLayouts`).
   *
   * @default - no tenant scoping: the grant covers every item
   */
  readonly tenantKey?: TenantKey;

  /**
   * Where the tenant id sits in the table's partition key values.
   *
   * @default TenantKeyLayout.wholeKey() - the partition key value is the tenant id
   */
  readonly tenantKeyLayout?: TenantKeyLayout;

  /**
   * Where the tenant id sits in the partition key of each index whose partition key attribute is not
   * the table's own. An index keyed by the table's partition key attribute takes `tenantKeyLayout`.
   *
   * Note: with a `tenantKey`, an index the grant covers that is in neither list is refused when the
   * grant is made, naming the index: its partition key may not carry the tenant.
   *
   * @default - none: only indexes keyed by the table's partition key attribute are tenant-scoped
   */
  readonly indexTenantKeyLayouts?: IndexTenantKeyLayout[];

  /**
   * Indexes whose partition key does not carry the tenant, left out of a tenant-scoped grant on purpose.
   *
   * @default - none
   */
  readonly indexesWithoutTenant?: string[];

  /**
   * Allow the data actions only through this VPC endpoint (`aws:SourceVpce`), for example
   * `DynamoDBGatewayEndpoint.vpcEndpointId`.
   *
   * @default - from anywhere the caller reaches DynamoDB
   */
  readonly sourceVpce?: string;

  /**
   * Restrict the grant to these attributes (`dynamodb:Attributes`); reads must then ask for specific
   * attributes (`dynamodb:Select` = `SPECIFIC_ATTRIBUTES`) and writes may only return values that were
   * written or nothing (`dynamodb:ReturnValues`).
   *
   * Note: the key attributes of the table and of its indexes are added when the table is defined in
   * this app; for an imported table, list them yourself.
   *
   * @default - every attribute
   */
  readonly attributes?: string[];

  /**
   * The secondary indexes that queries (and scans) may use.
   *
   * @default - every index of the table when it is defined in this app (read when the grant is made); none for an imported table
   */
  readonly indexNames?: string[];

  /**
   * Whether the table is marked multi-tenant (CloudFormation Metadata `cdk-dynamodb-blueprints:multiTenant`)
   * by a tenant-scoped grant. Only a table defined in this app can be marked.
   *
   * @default - true when `tenantKey` is set and the table is defined in this app
   */
  readonly markMultiTenant?: boolean;
}

/** Properties of `TableAccess.of`. */
export interface TableAccessProps extends TableAccessOptions {
  /** The groups of actions to allow. `TableOperation.SCAN` must be listed explicitly to be granted. */
  readonly operations: TableOperation[];
}

/**
 * Least-privilege access to a DynamoDB table: only the operations asked for, on the table and its
 * named indexes, never `Scan` unless asked, optionally scoped to one tenant's partition keys and to named attributes.
 *
 * Use `grant()` on a role or function, or `statements()` to put the same statements into a managed policy.
 *
 * @example
 * TableAccess.of(table, {
 *   operations: [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE],
 *   tenantKey: TenantKey.fromPrincipalTag('tenantId'),
 * }).grant(role);
 */
export class TableAccess {
  /** `GetItem`, `BatchGetItem` and `ConditionCheckItem` on the table. */
  public static pointReads(table: ITable, options: TableAccessOptions = {}): TableAccess {
    return new TableAccess(table, { ...options, operations: [TableOperation.POINT_READ] });
  }

  /** `Query` on the table and its indexes. */
  public static queries(table: ITable, options: TableAccessOptions = {}): TableAccess {
    return new TableAccess(table, { ...options, operations: [TableOperation.QUERY] });
  }

  /** Point reads and queries, without `Scan`. */
  public static reads(table: ITable, options: TableAccessOptions = {}): TableAccess {
    return new TableAccess(table, { ...options, operations: [TableOperation.POINT_READ, TableOperation.QUERY] });
  }

  /** `PutItem`, `UpdateItem`, `DeleteItem` and `BatchWriteItem` on the table. */
  public static writes(table: ITable, options: TableAccessOptions = {}): TableAccess {
    return new TableAccess(table, { ...options, operations: [TableOperation.WRITE] });
  }

  /** Any combination of operations. */
  public static of(table: ITable, props: TableAccessProps): TableAccess {
    return new TableAccess(table, props);
  }

  /** The operations this access allows, in a fixed order. */
  public readonly operations: TableOperation[];

  /** The indexes that queries and scans may use. */
  public readonly indexNames: string[];

  /** The attributes the access is restricted to, key attributes included; empty when not restricted. */
  public readonly attributes: string[];

  private readonly table: ITable;
  private readonly tenantKey?: TenantKey;
  private readonly sourceVpce?: string;
  private readonly tableLayout: TenantKeyLayout;
  /** The layout of each index the grant covers, by index name (tenant-scoped grants only). */
  private readonly indexLayouts: Map<string, TenantKeyLayout>;

  private constructor(table: ITable, props: TableAccessProps) {
    this.table = table;
    this.tenantKey = props.tenantKey;
    this.sourceVpce = props.sourceVpce;
    this.tableLayout = props.tenantKeyLayout ?? TenantKeyLayout.wholeKey();
    this.operations = validateOperations(props);
    const shape = tableShape(table);
    const known = shape.resource ? shape.indexNames : undefined;
    const indexNames = validateIndexNames(props.indexNames, known) ?? shape.indexNames;
    if (props.tenantKey === undefined) {
      if ((props.indexTenantKeyLayouts ?? []).length > 0 || (props.indexesWithoutTenant ?? []).length > 0 || props.tenantKeyLayout !== undefined) {
        throw hostError('`tenantKeyLayout`, `indexTenantKeyLayouts` or `indexesWithoutTenant` is set without a `tenantKey`: they place the tenant in the keys of a tenant-scoped grant. Set `tenantKey`, or remove them.');
      }
      this.indexLayouts = new Map();
      this.indexNames = indexNames;
    } else if (!this.operations.includes(TableOperation.QUERY)) {
      // Only queries reach an index: the grant names the table alone.
      this.tableLayout._conditions(props.tenantKey);
      this.indexLayouts = new Map();
      this.indexNames = indexNames;
    } else {
      // Validate the table's pattern (a fixed tenant id holding the delimiter) before anything else.
      this.tableLayout._conditions(props.tenantKey);
      this.indexLayouts = tenantIndexLayouts(table, props, indexNames, known, shape.keyNames[0], shape.indexPartitionKeyNames, this.tableLayout);
      this.indexNames = indexNames.filter((name) => this.indexLayouts.has(name));
    }
    this.attributes = validateAttributes(props.attributes, [...shape.keyNames, ...shape.indexKeyNames]);

    const mark = props.markMultiTenant ?? (props.tenantKey !== undefined && shape.resource !== undefined);
    if (mark) {
      if (!(shape.resource instanceof CfnResource)) {
        throw hostError(`\`markMultiTenant\` is true but table ${table.node.path} is not defined in this app, so its resource cannot carry the \`${MultiTenantTable.METADATA_KEY}\` metadata. Set \`markMultiTenant: false\` and mark the table where it is defined.`);
      }
      // Declared multi-tenant, so the rule pack requires dynamodb:LeadingKeys on every other policy.
      if (!MultiTenantTable.isDeclared(shape.resource)) {
        MultiTenantTable.declare(shape.resource);
      }
    }
  }

  /**
   * The IAM statements of this access: one for the table data (and the indexes that share its tenant
   * layout), one per other index tenant layout, and one for its KMS key when it has a customer-managed key.
   */
  public statements(): PolicyStatement[] {
    const statements = this.dataStatements();
    const key = this.table.encryptionKey;
    if (key !== undefined) {
      const writes = this.operations.includes(TableOperation.WRITE);
      statements.push(new PolicyStatement({
        effect: Effect.ALLOW,
        actions: writes ? KMS_WRITE_ACTIONS : KMS_READ_ACTIONS,
        resources: [key.keyArn],
        // The key is usable only through DynamoDB, not to decrypt anything else it protects.
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this.table).region}.amazonaws.com` } },
      }));
    }
    return statements;
  }

  /** A policy document holding `statements()`, for a managed policy or a session policy. */
  public toPolicyDocument(): PolicyDocument {
    return new PolicyDocument({ statements: this.statements() });
  }

  /** Adds the statements to the grantee's identity policy; the returned grant holds the table statement. */
  public grant(grantee: IGrantable): Grant {
    const [data, ...rest] = this.statements();
    const grant = Grant.addToPrincipal({ grantee, actions: data.actions, resourceArns: data.resources, conditions: data.conditions });
    for (const statement of rest) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
    return grant;
  }

  private dataStatements(): PolicyStatement[] {
    const actions = this.operations.flatMap((op) => ACTIONS[op]);
    const usesIndexes = this.operations.includes(TableOperation.QUERY) || this.operations.includes(TableOperation.SCAN);
    const indexArn = (name: string) => `${this.table.tableArn}/index/${name}`;
    if (this.tenantKey === undefined) {
      const resources = [this.table.tableArn, ...(usesIndexes ? this.indexNames.map(indexArn) : [])];
      return [new PolicyStatement({ effect: Effect.ALLOW, actions, resources, conditions: this.conditions() })];
    }
    // One statement per tenant layout: an index query is checked against the index's partition key.
    const groups: Array<{ layout: TenantKeyLayout; indexes: string[] }> = [{ layout: this.tableLayout, indexes: [] }];
    if (this.operations.includes(TableOperation.QUERY)) {
      for (const name of this.indexNames) {
        const layout = this.indexLayouts.get(name)!;
        const group = groups.find((g) => g.layout._sameAs(layout));
        if (group === undefined) {
          groups.push({ layout, indexes: [name] });
        } else {
          group.indexes.push(name);
        }
      }
    }
    return groups.map((group, i) => new PolicyStatement({
      effect: Effect.ALLOW,
      // Only queries reach an index; the other actions name the table.
      actions: i === 0 ? actions : ['dynamodb:Query'],
      resources: [...(i === 0 ? [this.table.tableArn] : []), ...group.indexes.map(indexArn)],
      conditions: this.conditions(group.layout),
    }));
  }

  private conditions(layout?: TenantKeyLayout): Record<string, Record<string, unknown>> | undefined {
    const conditions: Record<string, Record<string, unknown>> = {};
    const add = (operator: string, key: string, value: unknown) => {
      conditions[operator] = { ...conditions[operator], [key]: value };
    };
    if (this.tenantKey !== undefined && layout !== undefined) {
      const leading = layout._conditions(this.tenantKey);
      // ForAllValues is true for a request without partition keys: require that it names some.
      add('Null', 'dynamodb:LeadingKeys', 'false');
      add(leading.operator, 'dynamodb:LeadingKeys', leading.values);
      if (this.tenantKey.contextKey !== undefined && leading.refusedTenantIds.length > 0) {
        add('Null', this.tenantKey.contextKey, 'false');
        add('StringNotLike', this.tenantKey.contextKey, leading.refusedTenantIds);
      }
    }
    if (this.sourceVpce !== undefined) {
      add('StringEquals', 'aws:SourceVpce', this.sourceVpce);
    }
    if (this.attributes.length > 0) {
      add('ForAllValues:StringEquals', 'dynamodb:Attributes', this.attributes);
      const reads = this.operations.some((op) => op !== TableOperation.WRITE);
      if (reads) {
        add('StringEqualsIfExists', 'dynamodb:Select', 'SPECIFIC_ATTRIBUTES');
      }
      if (this.operations.includes(TableOperation.WRITE)) {
        add('StringEqualsIfExists', 'dynamodb:ReturnValues', ['NONE', 'UPDATED_OLD', 'UPDATED_NEW']);
      }
    }
    return Object.keys(conditions).length > 0 ? conditions : undefined;
  }
}

/**
 * The tenant layout of each index a tenant-scoped grant covers. An index keyed by the table's partition
 * key attribute shares the table's layout; another must be given a layout or excluded, and every index
 * that is neither is reported at once.
 */
function tenantIndexLayouts(
  table: ITable, props: TableAccessProps, indexNames: string[], known: string[] | undefined,
  tablePartitionKey: string | undefined, indexPartitionKeys: Record<string, string>, tableLayout: TenantKeyLayout,
): Map<string, TenantKeyLayout> {
  const declared = props.indexTenantKeyLayouts ?? [];
  const excluded = props.indexesWithoutTenant ?? [];
  const errors: string[] = [];
  for (const name of [...declared.map((d) => d.indexName), ...excluded]) {
    if (known !== undefined && !known.includes(name)) {
      errors.push(`\`indexTenantKeyLayouts\`/\`indexesWithoutTenant\` name '${name}', which is not an index of the table (its indexes: ${known.length > 0 ? known.join(', ') : 'none'}). Use one of those names.`);
    }
  }
  const both = declared.map((d) => d.indexName).filter((n) => excluded.includes(n));
  if (both.length > 0) {
    errors.push(`index ${both.join(', ')} is both in \`indexTenantKeyLayouts\` and in \`indexesWithoutTenant\`: keep it in one.`);
  }
  const layouts = new Map<string, TenantKeyLayout>();
  for (const name of indexNames) {
    if (excluded.includes(name)) {
      continue;
    }
    const layout = declared.find((d) => d.indexName === name)?.layout;
    const partitionKey = indexPartitionKeys[name];
    if (layout !== undefined) {
      layout._conditions(props.tenantKey!);
      layouts.set(name, layout);
    } else if (partitionKey !== undefined && partitionKey === tablePartitionKey) {
      layouts.set(name, tableLayout);
    } else {
      const keyed = partitionKey === undefined ? 'whose partition key is not known (imported table)' : `keyed by '${partitionKey}', not by the table's partition key '${tablePartitionKey}'`;
      errors.push(`index '${name}' ${keyed}: a query on it is checked against its own partition key, which may not carry the tenant. Add { indexName: '${name}', layout } to \`indexTenantKeyLayouts\` when its keys carry the tenant, or list it in \`indexesWithoutTenant\` to leave it out of the grant.`);
    }
  }
  if (errors.length > 0) {
    throw hostError(`TableAccess on ${table.node.path} with a \`tenantKey\` (${props.tenantKey!.description}):\n  ${errors.join('\n  ')}`);
  }
  return layouts;
}

function validateOperations(props: TableAccessProps): TableOperation[] {
  const ops = props.operations ?? [];
  if (ops.length === 0) {
    throw hostError(`\`operations\` is empty: list at least one of ${ORDER.join(', ')}.`);
  }
  for (const op of ops) {
    if (!ORDER.includes(op)) {
      throw hostError(`\`operations\` contains ${JSON.stringify(op)}: allowed values are ${ORDER.join(', ')}.`);
    }
  }
  if (new Set(ops).size !== ops.length) {
    throw hostError(`\`operations\` lists an operation twice (${ops.join(', ')}): list each once.`);
  }
  if (props.tenantKey !== undefined && ops.includes(TableOperation.SCAN)) {
    throw hostError(`\`operations\` includes SCAN with a \`tenantKey\` (${props.tenantKey.description}): a Scan names no partition key, so it cannot be limited to one tenant. Use QUERY on the tenant's partition instead.`);
  }
  return ORDER.filter((op) => ops.includes(op));
}

function validateIndexNames(names: string[] | undefined, known: string[] | undefined): string[] | undefined {
  if (names === undefined) {
    return undefined;
  }
  if (new Set(names).size !== names.length) {
    throw hostError(`\`indexNames\` lists an index twice (${names.join(', ')}): list each once.`);
  }
  for (const name of names) {
    if (Token.isUnresolved(name)) {
      continue;
    }
    if (name.includes('*')) {
      throw hostError(`\`indexNames\` contains '${name}': name each index; a wildcard would also cover indexes added later.`);
    }
    if (known !== undefined && !known.includes(name)) {
      throw hostError(`\`indexNames\` contains '${name}', which is not an index of the table (its indexes: ${known.length > 0 ? known.join(', ') : 'none'}). Use one of those names.`);
    }
  }
  return [...names];
}

function validateAttributes(attributes: string[] | undefined, keyNames: string[]): string[] {
  if (attributes === undefined) {
    return [];
  }
  if (attributes.length === 0) {
    throw hostError('`attributes` is empty: list the attributes the grant may read or write, or leave it unset to allow every attribute.');
  }
  const empty = attributes.find((a) => !Token.isUnresolved(a) && a.trim().length === 0);
  if (empty !== undefined) {
    throw hostError('`attributes` contains an empty name: list attribute names such as \'status\'.');
  }
  if (new Set(attributes).size !== attributes.length) {
    throw hostError(`\`attributes\` lists an attribute twice (${attributes.join(', ')}): list each once.`);
  }
  const all = [...new Set([...keyNames, ...attributes])];
  if (all.length > MAX_GRANTED_ATTRIBUTES) {
    throw hostError(`\`attributes\` with the key attributes lists ${all.length} names: at most ${MAX_GRANTED_ATTRIBUTES} are allowed. Grant all attributes instead, or split the data.`);
  }
  return all;
}
