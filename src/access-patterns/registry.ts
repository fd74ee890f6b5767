import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessPatternProps } from './access-pattern';
import { AccessPatternReport } from './access-pattern-report';
import { validateAccessPatternProps } from './checks';
import { SynthesizedTableDefinition } from '../model/synthesized-table';

/**
 * The access patterns of one table: checked when the app is validated (the indexes are final by then)
 * and written into the cloud assembly as `<stack artifact id>.<table id>.access-patterns.md`.
 */
export class AccessPatternRegistry {
  /** The report's file name in the cloud assembly. */
  public static fileName(table: IConstruct): string {
    return `${Stack.of(table).artifactId}.${table.node.id}.access-patterns.md`;
  }

  private readonly patterns: AccessPatternProps[] = [];

  constructor(private readonly table: IConstruct) {
    table.node.addValidation({
      validate: () => AccessPatternReport.validate(SynthesizedTableDefinition.of(table), this.patterns),
    });
    attachCustomSynthesis(table, {
      onSynthesize: (session) => {
        fs.mkdirSync(session.outdir, { recursive: true });
        fs.writeFileSync(path.join(session.outdir, AccessPatternRegistry.fileName(table)), this.markdown());
      },
    });
  }

  public add(props: AccessPatternProps): void {
    validateAccessPatternProps(props, this.patterns);
    this.patterns.push({ ...props, returns: props.returns ? [...props.returns] : undefined });
  }

  public markdown(): string {
    const title = `${Stack.of(this.table).stackName} / ${this.table.node.id}`;
    return AccessPatternReport.markdown(title, SynthesizedTableDefinition.of(this.table), this.patterns);
  }
}
