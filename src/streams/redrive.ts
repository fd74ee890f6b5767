/**
 * The item key of the consumed table whose parked records a redrive replays: the values of the table's
 * partition key and sort key, as the records' `dynamodb.Keys` carry them.
 *
 * The attribute names and types are the table's own, so a key can only be given for a table defined in
 * the app.
 */
export interface ParkedItemKey {
  /**
   * The partition key's value.
   *
   * Note: a Number key's value is written as DynamoDB returns it (`42`, `1.5`, not `1.50`); a Binary key's
   * value is base64, as in a stream record.
   */
  readonly partitionKeyValue: string;

  /**
   * The sort key's value, for a table with a sort key (required there, refused otherwise).
   *
   * @default - none: the table has no sort key
   */
  readonly sortKeyValue?: string;
}

/**
 * Options of `TableStreamConsumer.redriveAfterDeployment()`.
 */
export interface RedriveAfterDeploymentOptions {
  /**
   * The item keys whose parked records are replayed.
   *
   * @default - every parked key
   */
  readonly keys?: ParkedItemKey[];
}
