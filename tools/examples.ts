import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/** The context key that makes the built-in CloudFormation schema validation fail synthesis on an error. */
export const STRICT_SCHEMA_VALIDATION = '@aws-cdk/core:validateAgainstDefaultRules';

/** The root of the example apps. */
export const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');

/**
 * An example app: a folder under examples/ whose `app.ts` exports `createStacks(app)`.
 * Its `main.ts` is what `cdk synth` runs; tests and the demo call `createStacks` directly.
 */
export interface ExampleApp {
  readonly name: string;
  readonly dir: string;
  createStacks(app: App): void;
}

/** Every example app, by folder name. Needs 'cdk-dynamodb-blueprints' resolvable: jest maps it to src/, and scripts run with tsconfig-paths. */
export function listExamples(): ExampleApp[] {
  return fs.readdirSync(EXAMPLES_DIR)
    .filter((name) => fs.existsSync(path.join(EXAMPLES_DIR, name, 'app.ts')))
    .sort()
    .map((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(EXAMPLES_DIR, name, 'app.ts')) as { createStacks?: (app: App) => void };
      if (typeof mod.createStacks !== 'function') {
        throw new Error(`examples/${name}/app.ts must export createStacks(app: App)`);
      }
      return { name, dir: path.join(EXAMPLES_DIR, name), createStacks: mod.createStacks };
    });
}

/** Options for `synthExample`. */
export interface SynthOptions {
  /** Where to write the cloud assembly. @default - a temporary directory */
  readonly outdir?: string;
  /** Run aws-cdk-lib's CloudFormation schema validation (2-3 s a stack). @default false */
  readonly schemaValidation?: boolean;
  /** Called with the app before synthesis, e.g. to add cdk-nag packs. */
  readonly configure?: (app: App) => void;
}

/** Synthesizes one example app. */
export function synthExample(example: ExampleApp, options: SynthOptions = {}) {
  const schemaValidation = options.schemaValidation ?? false;
  const app = new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: schemaValidation,
    // Schema violations fail synthesis (by default they are reported as warnings).
    context: schemaValidation ? { [STRICT_SCHEMA_VALIDATION]: true } : undefined,
  });
  example.createStacks(app);
  options.configure?.(app);
  return { app, assembly: app.synth() };
}
