/**
 * SAM resources (`Transform: AWS::Serverless-2016-10-31`) read as what the transform makes of them,
 * so that tools judging DynamoDB see the tables, stream consumers and grants a SAM template deploys.
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/policy_templates_data/policy_templates.json
 */

/** `AWS::Serverless::SimpleTable`: an `AWS::DynamoDB::Table` with a one-attribute key. */
export const SAM_SIMPLE_TABLE = 'AWS::Serverless::SimpleTable';
/** `AWS::Serverless::Function`: a function, its role and its event source mappings. */
export const SAM_FUNCTION = 'AWS::Serverless::Function';

const SIMPLE_TABLE_TYPES: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B' };

/**
 * The `AWS::DynamoDB::Table` resource SAM makes of a `SimpleTable`: its `PrimaryKey` (default
 * `id`, String) as the partition key, on-demand unless `ProvisionedThroughput` is set, resource
 * attributes (`DeletionPolicy`, `Condition`...) kept.
 */
export function simpleTableAsTable(resource: any): any {
  const p = resource?.Properties ?? {};
  const key = p.PrimaryKey ?? { Name: 'id', Type: 'String' };
  const properties: Record<string, unknown> = {
    AttributeDefinitions: [{ AttributeName: key.Name, AttributeType: SIMPLE_TABLE_TYPES[key.Type] ?? key.Type }],
    KeySchema: [{ AttributeName: key.Name, KeyType: 'HASH' }],
  };
  if (p.ProvisionedThroughput !== undefined) {
    properties.ProvisionedThroughput = p.ProvisionedThroughput;
  } else {
    properties.BillingMode = 'PAY_PER_REQUEST';
  }
  for (const name of ['TableName', 'SSESpecification', 'PointInTimeRecoverySpecification']) {
    if (p[name] !== undefined) {
      properties[name] = p[name];
    }
  }
  if (p.Tags !== null && typeof p.Tags === 'object' && !Array.isArray(p.Tags)) {
    properties.Tags = Object.entries(p.Tags).map(([Key, Value]) => ({ Key, Value }));
  }
  return { ...resource, Type: 'AWS::DynamoDB::Table', Properties: properties };
}

/** One `DynamoDB` or `Kinesis` event of a SAM function, as the event source mapping SAM creates. */
export interface SamStreamEvent {
  /** The event's name under `Events`. */
  readonly name: string;
  /** The `AWS::Lambda::EventSourceMapping` properties: `Stream` as `EventSourceArn`, the rest as written. */
  readonly properties: any;
}

/** The stream events of a SAM function's properties, each as the mapping it becomes. */
export function samStreamEvents(properties: any): SamStreamEvent[] {
  const events = properties?.Events;
  if (events === null || typeof events !== 'object') {
    return [];
  }
  return Object.entries<any>(events)
    .filter(([, e]) => e?.Type === 'DynamoDB' || e?.Type === 'Kinesis')
    .map(([name, e]) => {
      const { Stream, ...rest } = e.Properties ?? {};
      return { name, properties: { ...rest, EventSourceArn: Stream } };
    });
}

/** A SAM DynamoDB policy template: actions on the table ARN followed by each suffix. */
interface PolicyTemplate {
  readonly statements: Array<{ readonly actions: string[]; readonly suffixes: string[] }>;
}

const CRUD = ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query',
  'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'];

/** The DynamoDB policy templates of SAM (policy_templates.json), by name. */
const POLICY_TEMPLATES: Record<string, PolicyTemplate> = {
  DynamoDBCrudPolicy: { statements: [{ actions: CRUD, suffixes: ['', '/index/*'] }] },
  DynamoDBReadPolicy: {
    statements: [{ actions: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'], suffixes: ['', '/index/*'] }],
  },
  DynamoDBWritePolicy: { statements: [{ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], suffixes: ['', '/index/*'] }] },
  DynamoDBReconfigurePolicy: { statements: [{ actions: ['dynamodb:UpdateTable'], suffixes: [''] }] },
  DynamoDBRestoreFromBackupPolicy: {
    statements: [
      { actions: ['dynamodb:RestoreTableFromBackup'], suffixes: ['/backup/*'] },
      {
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem'],
        suffixes: [''],
      },
    ],
  },
  DynamoDBBackupFullAccessPolicy: {
    statements: [
      { actions: ['dynamodb:CreateBackup', 'dynamodb:DescribeContinuousBackups'], suffixes: [''] },
      { actions: ['dynamodb:DeleteBackup', 'dynamodb:DescribeBackup', 'dynamodb:ListBackups'], suffixes: ['/backup/*'] },
    ],
  },
  DynamoDBStreamReadPolicy: {
    statements: [
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'], suffixes: ['/stream/*'] },
    ],
  },
};

/** What a SAM function's `Policies` grant: policy documents, and managed policy ARNs (names made ARNs, as SAM does). */
export interface SamPolicies {
  readonly documents: any[];
  readonly managedPolicyArns: unknown[];
}

/**
 * Reads a SAM function's `Policies`: a managed policy name or ARN, a policy document, or a list of
 * those and of policy templates (`DynamoDBCrudPolicy: { TableName: !Ref Table }`), which are
 * expanded into the statements SAM writes. A template outside DynamoDB grants nothing on tables and is left out.
 */
export function samPolicies(policies: unknown): SamPolicies {
  const documents: any[] = [];
  const managedPolicyArns: unknown[] = [];
  const list = policies === undefined || policies === null ? [] : (Array.isArray(policies) ? policies : [policies]);
  for (const policy of list) {
    if (typeof policy === 'string') {
      managedPolicyArns.push(policy.startsWith('arn:') ? policy : `arn:aws:iam::aws:policy/${policy}`);
      continue;
    }
    if (policy === null || typeof policy !== 'object') {
      continue;
    }
    if ('Statement' in policy) {
      documents.push(policy);
      continue;
    }
    const [name, ...others] = Object.keys(policy);
    const template = POLICY_TEMPLATES[name];
    if (others.length > 0 || name === undefined) {
      continue;
    }
    if (template === undefined) {
      if (name === 'Ref' || name.startsWith('Fn::')) {
        managedPolicyArns.push(policy);
      }
      continue;
    }
    const tableName = (policy as any)[name]?.TableName;
    documents.push({
      Statement: template.statements.map((s) => ({
        Effect: 'Allow',
        Action: s.actions,
        Resource: s.suffixes.map((suffix) => ({
          'Fn::Sub': [`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${tableName}${suffix}`, { tableName }],
        })),
      })),
    });
  }
  return { documents, managedPolicyArns };
}
