export * from './table/projection';
export * from './table/blueprint-table';
export * from './template/table-definition';
export * from './nag/dynamodb-blueprint-checks';
export * from './nag/multi-tenant';
export * as rules from './nag/rules';
export * from './migration/finding';
export * from './migration/migration-check';
