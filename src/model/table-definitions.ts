import { collectScaling, isTableType, parseTable } from './parse';
import { TableDefinition } from './table-definition';

/**
 * Reads DynamoDB table definitions out of CloudFormation templates.
 */
export class TableDefinitions {
  /**
   * Every `AWS::DynamoDB::Table`, `AWS::DynamoDB::GlobalTable` and SAM `AWS::Serverless::SimpleTable` (read as the table it becomes) of a template, in logical-id order.
   *
   * @param template a CloudFormation template, as parsed JSON
   */
  public static fromTemplate(template: any): TableDefinition[] {
    const resources = template?.Resources ?? {};
    const scaling = collectScaling(resources);
    return Object.keys(resources)
      .sort()
      .filter((id) => isTableType(resources[id]?.Type))
      .map((id) => parseTable(id, resources[id], scaling.get(id)));
  }

  /**
   * One table resource.
   *
   * @param logicalId the resource's logical id
   * @param resource the resource, as parsed JSON (`{ Type, Properties, DeletionPolicy, ... }`)
   */
  public static fromResource(logicalId: string, resource: any): TableDefinition {
    return parseTable(logicalId, resource, undefined);
  }
}
