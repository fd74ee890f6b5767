/*
 * The orders-lab app with MigrationGuard against the baseline recorded after its deployment, and one change
 * to its table, chosen by MIGRATION_CHANGE. scripts/ci/deploy.sh copies it into the copied orders-lab app
 * as migration.ts, beside the example's own app.ts, and runs `cdk synth` / `cdk deploy --app` with it:
 *   replace-sort-key  the table's sort key renamed (KeySchema: Update requires Replacement): synth must fail
 *   add-index         a new GSI (an additive change): synth passes, and the stack deploys
 */
import { App, Validations } from 'aws-cdk-lib';
import { AttributeType, CfnGlobalTable } from 'aws-cdk-lib/aws-dynamodb';
// The copy in the orders-lab app imports its own app.ts (deploy.sh rewrites this path).
import { createStacks, OrdersLabStack } from '../../../examples/orders-lab/app';
import { IndexProjection, MigrationGuard } from 'cdk-dynamodb-blueprints';

const app = new App();
createStacks(app);
const stack = app.node.findChild('OrdersLab') as OrdersLabStack;
const change = process.env.MIGRATION_CHANGE;
if (change === 'replace-sort-key') {
  // What renaming the sort key in the table's props renders to, set on the L1's properties (BlueprintTable
  // refuses a raw override of its keys, which its schema() could not read).
  const table = stack.orders.node.defaultChild as CfnGlobalTable;
  const rename = (name: string) => (name === 'SK' ? 'SK2' : name);
  const keySchema: CfnGlobalTable.KeySchemaProperty[] = stack.resolve(table.keySchema);
  table.keySchema = keySchema.map((k) => ({ ...k, attributeName: rename(k.attributeName) }));
  const definitions: CfnGlobalTable.AttributeDefinitionProperty[] = stack.resolve(table.attributeDefinitions);
  table.attributeDefinitions = definitions.map((d) => ({ ...d, attributeName: rename(d.attributeName) }));
} else if (change === 'add-index') {
  stack.orders.addBlueprintGlobalSecondaryIndex({
    indexName: 'byCity',
    partitionKey: { name: 'city', type: AttributeType.STRING },
    projection: IndexProjection.keysOnly(),
  });
} else {
  throw new Error(`MIGRATION_CHANGE is '${change}'; set it to replace-sort-key or add-index.`);
}
Validations.of(app).addPlugins(new MigrationGuard({ baselineDirectory: 'deployed' }));
app.synth();
