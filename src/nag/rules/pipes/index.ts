export { default as PipesStreamDeadLetterConfig } from './PipesStreamDeadLetterConfig';
export { default as PipesStreamMaximumRecordAge } from './PipesStreamMaximumRecordAge';
export { default as PipesStreamMaximumRetryAttempts } from './PipesStreamMaximumRetryAttempts';
export { default as PipesStreamPartialBatchFailure } from './PipesStreamPartialBatchFailure';
export { default as PipesStreamStartingPosition } from './PipesStreamStartingPosition';
