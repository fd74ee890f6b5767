import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Grant, IGrantable, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { TenantKey } from './tenant-key';
import { MultiTenantTable } from '../model/multi-tenant';
import { tableShape } from '../model/table-shape';

/** The most attributes a `dynamodb:Attributes` condition of this library lists. */
export const MAX_GRANTED_ATTRIBUTES = 100;

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

const ACTIONS: Record<TableOperation, string[]> = {
  [TableOperation.POINT_READ]: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'],
  [TableOperation.QUERY]: ['dynamodb:Query'],
  [TableOperation.WRITE]: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  [TableOperation.SCAN]: ['dynamodb:Scan'],
};
const ORDER = [TableOperation.POINT_READ, TableOperation.QUERY, TableOperation.WRITE, TableOperation.SCAN];

const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** Options shared by every `TableAccess` factory. */
export interface TableAccessOptions {
  /**
   * Restrict the grant to items whose partition key equals this tenant key (`dynamodb:LeadingKeys`).
   *
   * Note: every request must then name its partition keys, so `TableOperation.SCAN` cannot be combined
   * with a tenant key; a query on an index is checked against the index's partition key.
   *
   * @default - no tenant scoping: the grant covers every item
   */
  readonly tenantKey?: TenantKey;

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

  private constructor(table: ITable, props: TableAccessProps) {
    this.table = table;
    this.tenantKey = props.tenantKey;
    this.operations = validateOperations(props);
    const shape = tableShape(table);
    this.indexNames = validateIndexNames(props.indexNames, shape.resource ? shape.indexNames : undefined) ?? shape.indexNames;
    this.attributes = validateAttributes(props.attributes, [...shape.keyNames, ...shape.indexKeyNames]);

    const mark = props.markMultiTenant ?? (props.tenantKey !== undefined && shape.resource !== undefined);
    if (mark) {
      if (!(shape.resource instanceof CfnResource)) {
        throw new Error(`\`markMultiTenant\` is true but table ${table.node.path} is not defined in this app, so its resource cannot carry the \`${MultiTenantTable.METADATA_KEY}\` metadata. Set \`markMultiTenant: false\` and mark the table where it is defined.`);
      }
      // Declared multi-tenant, so the rule pack requires dynamodb:LeadingKeys on every other policy.
      if (!MultiTenantTable.isDeclared(shape.resource)) {
        MultiTenantTable.declare(shape.resource);
      }
    }
  }

  /** The IAM statements of this access: one for the table data, one for its KMS key when it has a customer-managed key. */
  public statements(): PolicyStatement[] {
    const statements = [this.dataStatement()];
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

  /** Adds the statements to the grantee's identity policy. */
  public grant(grantee: IGrantable): Grant {
    const [data, ...rest] = this.statements();
    const grant = Grant.addToPrincipal({ grantee, actions: data.actions, resourceArns: data.resources, conditions: data.conditions });
    for (const statement of rest) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
    return grant;
  }

  private dataStatement(): PolicyStatement {
    const actions = this.operations.flatMap((op) => ACTIONS[op]);
    const usesIndexes = this.operations.includes(TableOperation.QUERY) || this.operations.includes(TableOperation.SCAN);
    const resources = [this.table.tableArn];
    if (usesIndexes) {
      resources.push(...this.indexNames.map((name) => `${this.table.tableArn}/index/${name}`));
    }
    return new PolicyStatement({ effect: Effect.ALLOW, actions, resources, conditions: this.conditions() });
  }

  private conditions(): Record<string, Record<string, unknown>> | undefined {
    const forAll: Record<string, unknown> = {};
    const conditions: Record<string, Record<string, unknown>> = {};
    if (this.tenantKey !== undefined) {
      forAll['dynamodb:LeadingKeys'] = [this.tenantKey.conditionValue];
      // ForAllValues is true for a request without partition keys: require that it names some.
      conditions.Null = { 'dynamodb:LeadingKeys': 'false' };
    }
    if (this.attributes.length > 0) {
      forAll['dynamodb:Attributes'] = this.attributes;
      const ifExists: Record<string, unknown> = {};
      const reads = this.operations.some((op) => op !== TableOperation.WRITE);
      if (reads) {
        ifExists['dynamodb:Select'] = 'SPECIFIC_ATTRIBUTES';
      }
      if (this.operations.includes(TableOperation.WRITE)) {
        ifExists['dynamodb:ReturnValues'] = ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'];
      }
      conditions.StringEqualsIfExists = ifExists;
    }
    if (Object.keys(forAll).length > 0) {
      conditions['ForAllValues:StringEquals'] = forAll;
    }
    return Object.keys(conditions).length > 0 ? conditions : undefined;
  }
}

function validateOperations(props: TableAccessProps): TableOperation[] {
  const ops = props.operations ?? [];
  if (ops.length === 0) {
    throw new Error(`\`operations\` is empty: list at least one of ${ORDER.join(', ')}.`);
  }
  for (const op of ops) {
    if (!ORDER.includes(op)) {
      throw new Error(`\`operations\` contains ${JSON.stringify(op)}: allowed values are ${ORDER.join(', ')}.`);
    }
  }
  if (new Set(ops).size !== ops.length) {
    throw new Error(`\`operations\` lists an operation twice (${ops.join(', ')}): list each once.`);
  }
  if (props.tenantKey !== undefined && ops.includes(TableOperation.SCAN)) {
    throw new Error(`\`operations\` includes SCAN with a \`tenantKey\` (${props.tenantKey.description}): a Scan names no partition key, so it cannot be limited to one tenant. Use QUERY on the tenant's partition instead.`);
  }
  return ORDER.filter((op) => ops.includes(op));
}

function validateIndexNames(names: string[] | undefined, known: string[] | undefined): string[] | undefined {
  if (names === undefined) {
    return undefined;
  }
  if (new Set(names).size !== names.length) {
    throw new Error(`\`indexNames\` lists an index twice (${names.join(', ')}): list each once.`);
  }
  for (const name of names) {
    if (Token.isUnresolved(name)) {
      continue;
    }
    if (name.includes('*')) {
      throw new Error(`\`indexNames\` contains '${name}': name each index; a wildcard would also cover indexes added later.`);
    }
    if (known !== undefined && !known.includes(name)) {
      throw new Error(`\`indexNames\` contains '${name}', which is not an index of the table (its indexes: ${known.length > 0 ? known.join(', ') : 'none'}). Use one of those names.`);
    }
  }
  return [...names];
}

function validateAttributes(attributes: string[] | undefined, keyNames: string[]): string[] {
  if (attributes === undefined) {
    return [];
  }
  if (attributes.length === 0) {
    throw new Error('`attributes` is empty: list the attributes the grant may read or write, or leave it unset to allow every attribute.');
  }
  const empty = attributes.find((a) => !Token.isUnresolved(a) && a.trim().length === 0);
  if (empty !== undefined) {
    throw new Error('`attributes` contains an empty name: list attribute names such as \'status\'.');
  }
  if (new Set(attributes).size !== attributes.length) {
    throw new Error(`\`attributes\` lists an attribute twice (${attributes.join(', ')}): list each once.`);
  }
  const all = [...new Set([...keyNames, ...attributes])];
  if (all.length > MAX_GRANTED_ATTRIBUTES) {
    throw new Error(`\`attributes\` with the key attributes lists ${all.length} names: at most ${MAX_GRANTED_ATTRIBUTES} are allowed. Grant all attributes instead, or split the data.`);
  }
  return all;
}
