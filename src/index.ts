export * from './table/projection';
export * from './table/blueprint-table';
export * from './template/table-definition';
export * from './grants/tenant-key';
export * from './grants/table-access';
