export * from './table/projection';
export * from './table/blueprint-table';
export * from './template/table-definition';
export * from './streams/idempotency-table';
export * from './streams/stream-filter';
export * from './streams/stream-consumer';
