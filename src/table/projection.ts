import { ProjectionType } from 'aws-cdk-lib/aws-dynamodb';
import { hostError } from '../private/host-language';
import { MAX_PROJECTED_ATTRIBUTES } from '../private/limits';


/**
 * Which attributes a secondary index copies from the base table.
 *
 * `INCLUDE` with exactly the attributes your queries return is the balanced choice:
 * `ALL` writes a full copy of every item into the index on every base-table write,
 * `KEYS_ONLY` forces a follow-up `GetItem` for anything but the keys.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections
 */
export abstract class IndexProjection {
  /**
   * Project only the index keys and the table keys.
   *
   * Smallest and cheapest to write; queries that need other attributes must read the base table.
   */
  public static keysOnly(): IndexProjection {
    return new (class extends IndexProjection {})(ProjectionType.KEYS_ONLY, []);
  }

  /**
   * Project the keys plus the named non-key attributes.
   *
   * Note: name exactly the attributes the queries on this index return; key attributes are always
   * projected and must not be listed. At most 100 attributes in all indexes of a table together.
   *
   * @param nonKeyAttributes the non-key attributes to copy into the index
   */
  public static include(nonKeyAttributes: string[]): IndexProjection {
    if (!Array.isArray(nonKeyAttributes) || nonKeyAttributes.length === 0) {
      throw hostError('`IndexProjection.include()` received no attributes: name the non-key attributes your queries on this index return, for example `IndexProjection.include([\'title\', \'status\'])`, or choose `IndexProjection.keysOnly()`.');
    }
    const seen = new Set<string>();
    for (const name of nonKeyAttributes) {
      if (typeof name !== 'string' || name.length === 0) {
        throw hostError(`\`IndexProjection.include()\` received ${JSON.stringify(name)} as an attribute name: every attribute name must be a non-empty string.`);
      }
      if (seen.has(name)) {
        throw hostError(`\`IndexProjection.include()\` lists '${name}' twice: list each attribute once.`);
      }
      seen.add(name);
    }
    if (nonKeyAttributes.length > MAX_PROJECTED_ATTRIBUTES) {
      throw hostError(`\`IndexProjection.include()\` received ${nonKeyAttributes.length} attributes; DynamoDB allows at most ${MAX_PROJECTED_ATTRIBUTES} projected attributes across all indexes of a table: project fewer, or use \`IndexProjection.all()\` if the index really needs every attribute.`);
    }
    return new (class extends IndexProjection {})(ProjectionType.INCLUDE, [...nonKeyAttributes]);
  }

  /**
   * Project every attribute of the item.
   *
   * Note: every write to the base table then writes a full copy of the item into the index,
   * which is the most common cause of a doubled DynamoDB write bill. Prefer `include()`.
   */
  public static all(): IndexProjection {
    return new (class extends IndexProjection {})(ProjectionType.ALL, []);
  }

  /**
   * The DynamoDB projection type.
   */
  public readonly projectionType: ProjectionType;

  /**
   * The non-key attributes projected, for `INCLUDE`; empty otherwise.
   */
  public readonly nonKeyAttributes: string[];

  private constructor(projectionType: ProjectionType, nonKeyAttributes: string[]) {
    this.projectionType = projectionType;
    this.nonKeyAttributes = nonKeyAttributes;
  }
}
