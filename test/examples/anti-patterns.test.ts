import { DynamoDBBlueprintChecks } from '../../src';
import { listExamples, synthExample } from '../../tools/examples';
import { addNagPacks, nagFindings } from '../../tools/nag';

describe('anti-patterns', () => {
  const example = listExamples().find((e) => e.name === 'anti-patterns')!;
  const { app } = synthExample(example);
  const found = nagFindings(app, [new DynamoDBBlueprintChecks()]);

  /** The findings of each construct (the first path segment under the stack), rule ids only. */
  const byConstruct = (name: string) => found
    .filter((f) => f.path.startsWith(`AntiPatterns/${name}/`))
    .map((f) => f.ruleId)
    .sort();

  test.each([
    ['HotPartitionKey', ['DynamoDBBlueprint-DDB8[Table::status]']],
    ['FixedCapacityTimeKey', ['DynamoDBBlueprint-DDB6[Table::Reads]', 'DynamoDBBlueprint-DDB6[Table::Writes]', 'DynamoDBBlueprint-DDB8[Table::eventDate]']],
    ['ScanPermission', ['DynamoDBBlueprint-IAM1[Action::dynamodb:Scan]']],
    ['UnderProvisionedIndex', ['DynamoDBBlueprint-DDB7[Index::byCustomer]']],
    ['LocalSecondaryIndex', ['DynamoDBBlueprint-DDB10[Index::byPostedAt]']],
    ['StringTimeToLive', ['DynamoDBBlueprint-DDB13']],
    ['AllProjection', ['DynamoDBBlueprint-DDB9[Index::byBrand]']],
    ['UnprotectedTable', [
      'DynamoDBBlueprint-DDB1', 'DynamoDBBlueprint-DDB2[DeletionPolicy]', 'DynamoDBBlueprint-DDB2[UpdateReplacePolicy]',
      'DynamoDBBlueprint-DDB3', 'DynamoDBBlueprint-DDB4',
    ]],
    ['GlobalTableWithoutImages', ['DynamoDBBlueprint-DDB12']],
    ['StreamConsumerDefaults', ['DynamoDBBlueprint-ESM1', 'DynamoDBBlueprint-ESM2', 'DynamoDBBlueprint-ESM3', 'DynamoDBBlueprint-ESM4', 'DynamoDBBlueprint-ESM5']],
    ['TenantIsolationMissing', [expect.stringMatching(/^DynamoDBBlueprint-IAM2\[Table::TenantIsolationMissingTenantData[0-9A-F]{8}\]$/)]],
  ])('%s is caught by exactly the expected rules', (name, expected) => {
    expect(byConstruct(name)).toEqual(expected);
  });

  test('fails synthesis with the pack registered', () => {
    expect(() => synthExample(example, { configure: addNagPacks })).toThrow(/DynamoDBBlueprint-DDB8\[Table::status\]/);
  });

  test('every finding belongs to one of the anti-pattern constructs', () => {
    const names = ['HotPartitionKey', 'FixedCapacityTimeKey', 'ScanPermission', 'UnderProvisionedIndex', 'LocalSecondaryIndex', 'StringTimeToLive',
      'AllProjection', 'UnprotectedTable', 'GlobalTableWithoutImages', 'StreamConsumerDefaults', 'TenantIsolationMissing'];
    expect(found.filter((f) => !names.some((n) => f.path.startsWith(`AntiPatterns/${n}/`)))).toEqual([]);
  });
});
