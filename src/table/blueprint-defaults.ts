import {
  ContributorInsightsSpecification,
  GlobalSecondaryIndexPropsV2,
  LocalSecondaryIndexProps,
  PointInTimeRecoverySpecification,
  ProjectionType,
  ReplicaGlobalSecondaryIndexOptions,
  ReplicaTableProps,
  TableOptionsV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { IndexProjection } from './projection';

/** The longest point-in-time recovery window DynamoDB offers, in days. */
const RECOVERY_PERIOD_DAYS = 35;

/**
 * The table-level point-in-time recovery, always as a specification: enabled with 35 days unless
 * the user says otherwise, in either spelling. When both spellings are set, the specification is kept
 * and validation reports the conflict.
 */
export function normalizePointInTimeRecovery(props: TableOptionsV2): PointInTimeRecoverySpecification {
  if (props.pointInTimeRecoverySpecification !== undefined) {
    return props.pointInTimeRecoverySpecification;
  }
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const shorthand = props.pointInTimeRecovery;
  if (shorthand === undefined) {
    return { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: RECOVERY_PERIOD_DAYS };
  }
  return { pointInTimeRecoveryEnabled: shorthand };
}

/**
 * The table-level contributor insights, always as a specification (enabled unless the user says
 * otherwise), so that a replica's or a replica index's own setting in either spelling wins over it.
 */
export function normalizeContributorInsights(props: TableOptionsV2): ContributorInsightsSpecification {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const shorthand = props.contributorInsights;
  return props.contributorInsightsSpecification
    ?? (shorthand === undefined ? { enabled: true } : { enabled: shorthand });
}

/**
 * A replica with its own point-in-time recovery and contributor insights as specifications.
 *
 * TableV2 prefers a table-level specification over a replica's shorthand (PITR), and refuses a
 * replica's shorthand next to a table-level specification (contributor insights); the replica's own
 * choice is what the user meant.
 */
export function normalizeReplica(replica: ReplicaTableProps, table: PointInTimeRecoverySpecification): ReplicaTableProps {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const { pointInTimeRecovery, contributorInsights, globalSecondaryIndexOptions, ...rest } = replica;
  let pitr = replica.pointInTimeRecoverySpecification;
  if (pitr === undefined && pointInTimeRecovery !== undefined) {
    // `true` keeps the table's recovery period.
    pitr = pointInTimeRecovery && table.pointInTimeRecoveryEnabled ? table : { pointInTimeRecoveryEnabled: pointInTimeRecovery };
  }
  let indexOptions: { [indexName: string]: ReplicaGlobalSecondaryIndexOptions } | undefined;
  if (globalSecondaryIndexOptions !== undefined) {
    indexOptions = {};
    for (const [name, options] of Object.entries(globalSecondaryIndexOptions)) {
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      const { contributorInsights: indexShorthand, ...indexRest } = options;
      indexOptions[name] = {
        ...indexRest,
        contributorInsightsSpecification: options.contributorInsightsSpecification
          ?? (indexShorthand === undefined ? undefined : { enabled: indexShorthand }),
      };
    }
  }
  return {
    ...rest,
    pointInTimeRecoverySpecification: pitr,
    contributorInsightsSpecification: replica.contributorInsightsSpecification
      ?? (contributorInsights === undefined ? undefined : { enabled: contributorInsights }),
    globalSecondaryIndexOptions: indexOptions,
  };
}

/** The projection as TableV2 props: `projection` if given, else `projectionType`, else INCLUDE. */
export function resolveProjection(
  index: GlobalSecondaryIndexPropsV2 | LocalSecondaryIndexProps,
  projection: IndexProjection | undefined,
): { projectionType: ProjectionType; nonKeyAttributes?: string[] } {
  if (projection !== undefined) {
    return projection.projectionType === ProjectionType.INCLUDE
      ? { projectionType: projection.projectionType, nonKeyAttributes: [...projection.nonKeyAttributes] }
      : { projectionType: projection.projectionType, nonKeyAttributes: undefined };
  }
  const projectionType = index.projectionType ?? ProjectionType.INCLUDE;
  if (projectionType === ProjectionType.INCLUDE) {
    // An empty list only stands in until validation reports the missing attributes.
    return { projectionType, nonKeyAttributes: index.nonKeyAttributes ?? [] };
  }
  return { projectionType, nonKeyAttributes: index.nonKeyAttributes };
}
