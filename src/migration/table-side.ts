import { TableDefinition } from '../model/table-definition';
import { ResolvedResource } from '../model/template-resolution';

/** One table on one side of the comparison: its definition plus the raw resource for what the definition does not keep. */
export interface TableSide {
  readonly definition: TableDefinition;
  readonly resource: any;
  /** Its condition and the properties conditions choose, when read from a template. */
  readonly resolution?: ResolvedResource;
  /** Parameters without value (and imports) its properties refer to. */
  readonly unresolved?: string[];
}

/** The deletion policies that keep a table when its resource leaves the stack. */
export const RETAINED = ['Retain', 'RetainExceptOnCreate'];
