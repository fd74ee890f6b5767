import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { tableDefinition } from '../nag/resources';
import { TableDefinition, TableResourceType } from '../template/table-definition';

/**
 * The `TableDefinition` of a table construct in an app, read from the L1 resource it synthesizes.
 */
export class SynthesizedTableDefinition {
  /**
   * The definition of a `BlueprintTable`, `TableV2`, `Table` or a DynamoDB L1, as it would synthesize now.
   *
   * Note: indexes added after this call are not in the result; call it during validation or synthesis
   * to see the final table.
   *
   * @param table the table construct
   */
  public static of(table: IConstruct): TableDefinition {
    return tableDefinition(SynthesizedTableDefinition.findResource(table))!;
  }

  private static findResource(table: IConstruct): CfnResource {
    const candidates = [table, table.node.defaultChild].filter((c): c is IConstruct => c !== undefined);
    for (const candidate of candidates) {
      if (CfnResource.isCfnResource(candidate)
        && (candidate.cfnResourceType === TableResourceType.GLOBAL_TABLE || candidate.cfnResourceType === TableResourceType.TABLE)) {
        return candidate;
      }
    }
    throw new Error(`\`table\` is ${table.node.path}, which is not a DynamoDB table construct: pass a BlueprintTable, TableV2, Table, CfnGlobalTable or CfnTable.`);
  }

  private constructor() {}
}
