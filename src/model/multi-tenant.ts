import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { tableResourceOf } from './rendering';
import { TableResourceType } from './table-definition';
import { isTrue } from './values';

/**
 * Declares DynamoDB tables multi-tenant: every item belongs to one tenant, whose id leads the
 * partition key. The declaration is CloudFormation resource Metadata on the table's L1 resource,
 * so it travels with the template and is read back from `CfnInclude`d templates too.
 *
 * `DynamoDBBlueprintChecks` then requires every IAM policy that grants data actions on the
 * table to carry a `dynamodb:LeadingKeys` condition.
 *
 * @example
 * MultiTenantTable.declare(table);
 */
export class MultiTenantTable {
  /** The resource Metadata key that declares a table multi-tenant (value `true`). */
  public static readonly METADATA_KEY = 'cdk-dynamodb-blueprints:multiTenant';

  /**
   * Declares a table multi-tenant.
   *
   * @param table a `Table`, `TableV2` or `BlueprintTable`, or its `CfnTable`/`CfnGlobalTable`
   */
  public static declare(table: IConstruct): void {
    MultiTenantTable.tableResource(table).addMetadata(MultiTenantTable.METADATA_KEY, true);
  }

  /**
   * Whether a table has been declared multi-tenant.
   *
   * @param table a `Table`, `TableV2` or `BlueprintTable`, or its `CfnTable`/`CfnGlobalTable`
   */
  public static isDeclared(table: IConstruct): boolean {
    return isTrue(MultiTenantTable.tableResource(table).getMetadata(MultiTenantTable.METADATA_KEY));
  }

  private static tableResource(table: IConstruct): CfnResource {
    const resource = tableResourceOf(table);
    if (resource === undefined) {
      throw new Error(`\`table\` is ${table.node.path || 'the app'}, which is not a DynamoDB table: pass a Table, TableV2 or BlueprintTable, or its CfnTable/CfnGlobalTable (resource types ${TableResourceType.TABLE} and ${TableResourceType.GLOBAL_TABLE}).`);
    }
    return resource;
  }

  private constructor() {}
}
