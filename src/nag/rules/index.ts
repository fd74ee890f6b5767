export * as dax from './dax';
export * as dynamodb from './dynamodb';
export * as iam from './iam';
export * as kinesis from './kinesis';
export * as lambda from './lambda';
export * as pipes from './pipes';
