export { default as IAMMultiTenantLeadingKeys } from './IAMMultiTenantLeadingKeys';
export { default as IAMNoDynamoDBScan } from './IAMNoDynamoDBScan';
