export * from './table/projection';
export * from './table/blueprint-table';
export * from './template/table-definition';
export * from './migration/finding';
export * from './migration/migration-check';
