import { MigrationFinding, MigrationFindingKind, MigrationSeverity } from './finding';
import { regionLabel } from './table-descriptions';
import { RETAINED, TableSide } from './table-side';
import { TableDefinition } from '../model/table-definition';

/** Protections turned off: deletion protection, point-in-time recovery, the Retain policies. */
export function protectionFindings(stack: string, before: TableSide, after: TableSide): MigrationFinding[] {
  const b = before.definition;
  const a = after.definition;
  const findings: MigrationFinding[] = [];
  const regionsLosing = (flag: (r: TableDefinition['replicas'][number]) => boolean) =>
    b.replicas
      .filter((r) => flag(r))
      .filter((r) => {
        const now = a.replicas.find((x) => x.region === r.region);
        return now !== undefined && !flag(now);
      })
      .map((r) => regionLabel(r));

  const unprotected = regionsLosing((r) => r.deletionProtection);
  if (unprotected.length > 0) {
    findings.push({
      kind: MigrationFindingKind.DELETION_PROTECTION_DISABLED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: `deletion protection on -> off in ${unprotected.join(', ')}`,
      why: 'Without deletion protection, a DeleteTable call, a stack deletion or a later replacement deletes the table and its data at once.',
      fix: 'Keep `deletionProtection: true`. If the table is really being retired, turn it off in its own reviewed change, with a backup taken.',
    });
  }
  const unrecoverable = regionsLosing((r) => r.pointInTimeRecovery);
  if (unrecoverable.length > 0) {
    findings.push({
      kind: MigrationFindingKind.POINT_IN_TIME_RECOVERY_DISABLED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: `point-in-time recovery on -> off in ${unrecoverable.join(', ')}`,
      why: 'Turning point-in-time recovery off discards the continuous backups: the table can no longer be restored to a moment before a bad write, and turning it back on starts from zero.',
      fix: 'Keep point-in-time recovery on (`pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true }`).',
    });
  }
  const dropped = [
    ['DeletionPolicy', b.deletionPolicy, a.deletionPolicy],
    ['UpdateReplacePolicy', b.updateReplacePolicy, a.updateReplacePolicy],
  ].filter(([, was, now]) => RETAINED.includes(was ?? 'Delete') && !RETAINED.includes(now ?? 'Delete'))
    .map(([name, was, now]) => `${name} ${was} -> ${now ?? 'Delete'}`);
  if (dropped.length > 0) {
    findings.push({
      kind: MigrationFindingKind.RETAIN_POLICY_REMOVED,
      severity: MigrationSeverity.ERROR,
      stack,
      table: a.logicalId,
      change: dropped.join(', '),
      why: 'Without Retain, removing the table from the stack, deleting the stack or replacing the table deletes the table and all its data.',
      fix: 'Keep `removalPolicy: RemovalPolicy.RETAIN` on tables that hold data.',
    });
  }
  return findings;
}
