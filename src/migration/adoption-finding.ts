/**
 * What a deployment of an adoption plan is: an ordinary stack update, or a resource import.
 */
export enum AdoptionDeploymentKind {
  /** An ordinary `cdk deploy`. */
  UPDATE = 'UPDATE',
  /** `cdk import --resource-mapping <file>`: an IMPORT change set that only brings the live table into the stack. */
  IMPORT = 'IMPORT',
}

/**
 * What a difference between the live table and the imported resource does.
 */
export enum ImportDifferenceEffect {
  /**
   * The imported resource describes a table that cannot exist as the live one is (a key, a key type,
   * a local secondary index): after the import, the next deployment asks for a replacement, which fails
   * on the fixed table name. Fix the template before importing.
   */
  BLOCKS = 'BLOCKS',
  /**
   * The import records the template's value while the live table keeps its own: the stack drifts, and
   * no later deployment applies the template's value (CloudFormation sees no change). Import with the
   * live value, then change it in the last deployment.
   */
  DRIFTS = 'DRIFTS',
}

/**
 * One difference between the live table (as the deployed template describes it) and the resource the
 * new template would import.
 */
export interface ImportDifference {
  /** The setting: keys, attribute types, local secondary indexes, global secondary indexes, billing, stream, time to live, encryption key, table class, point-in-time recovery, deletion protection, contributor insights, tags. */
  readonly setting: string;
  /** The live value. */
  readonly live: string;
  /** The value in the new template. */
  readonly template: string;
  /** What the difference does to an import of the new template as is. */
  readonly effect: ImportDifferenceEffect;
  /** What to do about it. */
  readonly fix: string;
}

/**
 * A resource of the stack that refers to the table being adopted, which must name it literally while
 * the table is out of the stack.
 */
export interface AdoptedTableReference {
  /** The logical id of the referring resource, or `Outputs/<name>` for an output. */
  readonly source: string;
  /** The type of the referring resource (`AWS::IAM::Policy`, `Output`...). */
  readonly sourceType: string;
  /** What it refers to: `Ref` (the table name), `Arn`, `StreamArn`... */
  readonly attribute: string;
  /** The literal that stands for the reference while the table is out of the stack. */
  readonly literal: string;
}

/**
 * One deployment of an adoption plan, with the result of checking its template.
 */
export interface AdoptionDeployment {
  /** The position of this deployment in the adoption, from 1. */
  readonly deployment: number;
  /** An ordinary update or an import. */
  readonly kind: AdoptionDeploymentKind;
  /** What the deployment does, in one sentence. */
  readonly summary: string;
  /** What the app must change for this deployment, one item each. */
  readonly actions: string[];
  /** What the check of this deployment's template found wrong; empty when it passes. */
  readonly problems: string[];
}

/**
 * How to bring a live table into a stack as a `BlueprintTable` (an `AWS::DynamoDB::GlobalTable`) when the
 * deployed stack has it as an `AWS::DynamoDB::Table`: CloudFormation cannot change a resource's type, so the
 * table is retained, removed from the stack, and imported.
 */
export interface TableAdoption {
  /** The stack. */
  readonly stack: string;
  /** The table name, which the import identifies the table by. */
  readonly tableName: string;
  /** The logical id of the deployed `AWS::DynamoDB::Table`. */
  readonly fromLogicalId: string;
  /** The logical id of the `AWS::DynamoDB::GlobalTable` in the new template, which the import maps to the table. */
  readonly toLogicalId: string;
  /** The content of the file `cdk import --resource-mapping` reads: `{ "<logical id>": { "TableName": "<name>" } }`. */
  readonly resourceMapping: string;
  /** The deployments, in order; the last is the new template as is. */
  readonly deployments: AdoptionDeployment[];
  /** What refers to the table in the deployed template, and the literal that stands for it in between. */
  readonly references: AdoptedTableReference[];
  /** Differences between the live table and the resource the new template would import. */
  readonly importDifferences: ImportDifference[];
}
