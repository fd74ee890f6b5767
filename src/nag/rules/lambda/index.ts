export { default as LambdaStreamBisectOnError } from './LambdaStreamBisectOnError';
export { default as LambdaStreamMaximumRecordAge } from './LambdaStreamMaximumRecordAge';
export { default as LambdaStreamMaximumRetryAttempts } from './LambdaStreamMaximumRetryAttempts';
export { default as LambdaStreamOnFailureDestination } from './LambdaStreamOnFailureDestination';
export { default as LambdaStreamReportBatchItemFailures } from './LambdaStreamReportBatchItemFailures';
