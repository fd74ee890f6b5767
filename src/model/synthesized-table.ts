import { IConstruct } from 'constructs';
import { tableDefinition, tableResourceOf } from './rendering';
import { TableDefinition } from './table-definition';

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
    const resource = tableResourceOf(table);
    if (resource === undefined) {
      throw new Error(`\`table\` is ${table.node.path}, which is not a DynamoDB table construct: pass a BlueprintTable, TableV2, Table, CfnGlobalTable or CfnTable.`);
    }
    return tableDefinition(resource, true)!;
  }

  private constructor() {}
}
