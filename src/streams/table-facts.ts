import { AttributeType, ITable, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { tableShape } from '../model/table-shape';
import { BlueprintTable } from '../table/blueprint-table';

/** A key attribute of the consumed table. */
export interface TableKeyAttribute {
  readonly name: string;
  /** @default - not declared (an invalid template) */
  readonly type?: AttributeType;
}

/**
 * The partition key and sort key of the consumed table, or none when they are unknown at synthesis (an
 * imported table). A `BlueprintTable` is asked (`schema()`); any other table is read by the model, which
 * renders its resource: `TableV2` has no accessor, and aws-cdk-lib's `Table.schemaV2()` ignores escape
 * hatches on its resource, which the model sees (and the model renders a `Table` for its stream anyway).
 */
export function tableKeyAttributes(table: ITable): TableKeyAttribute[] {
  if (table instanceof BlueprintTable) {
    const { partitionKey, sortKey } = table.schema();
    return [partitionKey, sortKey].filter((k) => k !== undefined);
  }
  return tableShape(table).keyAttributes;
}

/** Whether the consumed table is defined in this app (else imported), and its stream view type (undefined: no stream). */
export interface TableStream {
  readonly defined: boolean;
  readonly viewType?: StreamViewType;
}

/** The stream of the consumed table: a `BlueprintTable` is asked (`streamViewType`), any other table read by the model. */
export function tableStream(table: ITable): TableStream {
  if (table instanceof BlueprintTable) {
    return { defined: true, viewType: table.streamViewType };
  }
  const shape = tableShape(table);
  return { defined: shape.resource !== undefined, viewType: shape.streamViewType };
}
