/*
 * What the runtime learns about the tables a record's effects write: their key attribute names (to tell
 * which puts touch one item, so many records share a transaction), and that they are in the function's
 * region and account (a transaction cannot span regions or accounts).
 */
// The handler's app installs and bundles these; the construct library must not depend on them.
/* eslint-disable import/no-extraneous-dependencies */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
/* eslint-enable import/no-extraneous-dependencies */
import type { Operation } from './effects';

/** Key attribute names by table, learnt once per execution environment (a warm function asks no more). */
const described = new Map<string, Promise<string[] | undefined>>();

/**
 * The key attribute names of `table` from one DescribeTable, cached for the execution environment;
 * `undefined` when it cannot be described (no `dynamodb:DescribeTable` permission, say): the caller then
 * learns them from other effects' keys.
 */
export function describeKeyNames(client: DynamoDBClient, table: string, onError: (error: unknown) => void): Promise<string[] | undefined> {
  let names = described.get(table);
  if (names === undefined) {
    names = client.send(new DescribeTableCommand({ TableName: table })).then(
      (result) => (result.Table?.KeySchema ?? []).map((k) => k.AttributeName!).sort(),
      (error: unknown) => {
        onError(error);
        return undefined;
      },
    );
    described.set(table, names);
  }
  return names;
}

/** Forgets what was described (for tests, which start execution environments of their own). */
export function forgetDescribedTables(): void {
  described.clear();
}

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]*):(\d*):table\/(.+)$/;

/**
 * Why the operations cannot be committed with the record's marker: an effect on a table (given by ARN) of
 * another region or account than the function's. `undefined` when they all can.
 */
export function foreignTableReason(operations: readonly Operation[], region: string | undefined, account: string | undefined): string | undefined {
  for (const op of operations) {
    const match = TABLE_ARN.exec(op.input.TableName ?? '');
    if (!match) {
      continue;
    }
    const [, tableRegion, tableAccount] = match;
    const wrongRegion = region !== undefined && tableRegion !== region;
    const wrongAccount = account !== undefined && tableAccount !== account;
    if (wrongRegion || wrongAccount) {
      const where = [wrongRegion ? `region ${tableRegion}` : undefined, wrongAccount ? `account ${tableAccount}` : undefined].filter(Boolean).join(' and ');
      return `a ${op.kind} effect writes ${op.input.TableName}, in ${where}, but a TransactWriteItems request commits only tables of one region and account, `
        + `those of the function and its marker table (${[region, account].filter(Boolean).join(', ')}): write to a table of the function's region and account `
        + '(a global table replica there), and let another consumer or replication carry the change further';
    }
  }
  return undefined;
}
