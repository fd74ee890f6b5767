/*
 * How the parts of a table are named in findings: keys, indexes, encryption, an import source, a replica's region.
 */
import { TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { IndexDefinition, KeyAttributeDefinition, TableDefinition } from '../model/table-definition';

export function describeKey(key?: KeyAttributeDefinition): string {
  return key ? `${key.name} (${key.type})` : '-';
}

/** Everything about an index that cannot change in place; capacity can. */
export function describeIndex(index: IndexDefinition): string {
  const projection = index.projectionType === 'INCLUDE'
    ? `INCLUDE [${[...index.nonKeyAttributes].sort().join(', ')}]`
    : index.projectionType;
  return `partition ${describeKey(index.partitionKey)}, sort ${describeKey(index.sortKey)}, ${projection}`;
}

export function describeLocalIndex(index: IndexDefinition): string {
  return `${index.indexName} (${describeIndex(index)})`;
}

export function describeEncryption(d: TableDefinition): string {
  if (d.customerManagedKey) {
    const keys = [...new Set(d.replicas.map((r) => r.kmsKey ?? '?'))];
    return `customer-managed key ${keys.join(', ')}`;
  }
  return d.encryption === TableEncryption.AWS_MANAGED ? 'AWS managed key' : 'AWS owned key';
}

export function describeKeys(d: TableDefinition): string {
  // Two multi-account replicas have the same keys when they replicate the same source.
  if (d.globalTableSourceArn !== undefined && d.partitionKey === undefined) {
    return `those of the source ${d.globalTableSourceArn}`;
  }
  return `partition ${describeKey(d.partitionKey)}, sort ${describeKey(d.sortKey)}`;
}

export function describeImport(resource: any): string {
  const spec = resource?.Properties?.ImportSourceSpecification;
  if (spec === undefined) {
    return 'none';
  }
  const source = spec.S3BucketSource ?? {};
  return `${spec.InputFormat ?? '?'} from s3://${stringifyValue(source.S3Bucket)}/${stringifyValue(source.S3KeyPrefix ?? '')}`;
}

export function stringifyValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A replica's region as findings name it: the region, or `(stack region)` when the template does not name it. */
export function regionLabel(r: { readonly region?: string; readonly inStackRegion: boolean }): string {
  return r.region ?? (r.inStackRegion ? '(stack region)' : '(unresolved region)');
}
