import { hostError } from './host-language';

/** The evaluation settings of an alarm, as the monitoring structs declare them (private code does not depend on them). */
export interface EvaluationSettings {
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

export function validateEvaluation(prop: string, e: EvaluationSettings | undefined): { evaluationPeriods: number; datapointsToAlarm: number } {
  const evaluationPeriods = e?.evaluationPeriods ?? 3;
  const datapointsToAlarm = e?.datapointsToAlarm ?? Math.min(2, evaluationPeriods);
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw hostError(`\`${prop}.evaluationPeriods\` is ${evaluationPeriods}: it must be a whole number of at least 1.`);
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw hostError(`\`${prop}.datapointsToAlarm\` is ${datapointsToAlarm}: it must be a whole number from 1 to \`evaluationPeriods\` (${evaluationPeriods}).`);
  }
  return { evaluationPeriods, datapointsToAlarm };
}

export function validateNonNegative(prop: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw hostError(`\`${prop}\` is ${value}: it must be a number of 0 or more.`);
  }
  return value;
}
