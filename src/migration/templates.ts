import * as fs from 'fs';
import * as path from 'path';
import { parseYamlTemplate } from './yaml-template';

/** One stack's template, read from a template file or a cloud assembly. */
export interface StackTemplate {
  /** How reports name the stack: the stack's display name, or the template file name. */
  readonly name: string;
  /** Names the other side may know this stack by: display name, artifact id, template file stem. */
  readonly keys: string[];
  /** The template file's name without `.template.json` (in a cloud assembly, the artifact id). */
  readonly stem: string;
  readonly template: any;
}

const TEMPLATE_SECTIONS = ['Resources', 'AWSTemplateFormatVersion', 'Parameters', 'Outputs', 'Rules', 'Conditions', 'Mappings', 'Transform'];
const INPUT_HELP = 'pass a CloudFormation template in JSON or YAML (`cdk synth` output, a hand-written or SAM template, or `aws cloudformation get-template --stack-name <name> --query TemplateBody --output json`), a directory of <stack>.template.json or .template.yaml files, or a cloud assembly directory (cdk.out)';
const TEMPLATE_FILE = /\.template\.(json|ya?ml)$/;

/**
 * Reads the stacks of a template file or a cloud assembly directory.
 *
 * @param label which input this is, for error messages (`before` or `after`)
 */
export function loadStacks(label: string, inputPath: string): StackTemplate[] {
  if (typeof inputPath !== 'string' || inputPath.length === 0) {
    throw new Error(`\`${label}\` is ${JSON.stringify(inputPath)}: ${INPUT_HELP}.`);
  }
  if (!fs.existsSync(inputPath)) {
    throw new Error(`\`${label}\` is '${inputPath}', which does not exist: ${INPUT_HELP}.`);
  }
  if (fs.statSync(inputPath).isDirectory()) {
    const stacks = fs.existsSync(path.join(inputPath, 'manifest.json'))
      ? readAssembly(label, inputPath, '')
      : readTemplateDirectory(label, inputPath);
    if (stacks.length === 0) {
      throw new Error(`\`${label}\` is '${inputPath}', a directory with no stack templates (no manifest.json stacks, no *.template.json or *.template.yaml files): ${INPUT_HELP}.`);
    }
    return stacks;
  }
  const stem = templateStem(inputPath);
  return [{ name: stem, keys: [stem], stem, template: readTemplate(label, inputPath) }];
}

/** Parses and sanity-checks one template file. */
export function readTemplate(label: string, file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (err) {
    throw new Error(`\`${label}\` is '${file}', which cannot be read (${(err as Error).message}): ${INPUT_HELP}.`);
  }
  let template: any;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    template = yaml ? parseYamlTemplate(text) : JSON.parse(text);
  } catch (jsonError) {
    if (yaml) {
      throw new Error(`\`${label}\` is '${file}', which is not YAML (${(jsonError as Error).message}): ${INPUT_HELP}.`);
    }
    // `.template` and other names: JSON first, then YAML, as CloudFormation accepts either.
    try {
      template = parseYamlTemplate(text);
    } catch (yamlError) {
      throw new Error(`\`${label}\` is '${file}', which is neither JSON (${(jsonError as Error).message}) nor YAML (${(yamlError as Error).message.split('\n')[0]}): ${INPUT_HELP}.`);
    }
  }
  if (typeof template === 'string') {
    // A TemplateBody saved as a JSON string rather than as the object itself.
    try {
      template = JSON.parse(template);
    } catch {
      // left as is: checkTemplate says what is wrong
    }
  }
  checkTemplate(label, file, template);
  return template;
}

/** Throws unless `template` looks like a CloudFormation template. */
export function checkTemplate(label: string, source: string, template: any): void {
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(template) || !TEMPLATE_SECTIONS.some((s) => s in template)) {
    throw new Error(`\`${label}\` is '${source}', which is not a CloudFormation template (none of ${TEMPLATE_SECTIONS.join(', ')}): ${INPUT_HELP}.`);
  }
  if ('Resources' in template && !isObject(template.Resources)) {
    throw new Error(`\`${label}\` is '${source}', whose Resources is not an object: ${INPUT_HELP}.`);
  }
}

/**
 * Pairs the stacks of both sides: by any shared key, or, when each side holds exactly one stack,
 * with each other (a committed `deployed.json` against `cdk.out/Orders.template.json`).
 */
export function pairStacks(before: StackTemplate[], after: StackTemplate[]): Array<[StackTemplate, StackTemplate]> {
  if (before.length === 1 && after.length === 1) {
    return [[before[0], after[0]]];
  }
  const pairs: Array<[StackTemplate, StackTemplate]> = [];
  const taken = new Set<StackTemplate>();
  for (const b of before) {
    const a = after.find((candidate) => !taken.has(candidate) && candidate.keys.some((k) => b.keys.includes(k)));
    if (a !== undefined) {
      taken.add(a);
      pairs.push([b, a]);
    }
  }
  return pairs;
}

/** Stacks of a cloud assembly, following nested assemblies (stages). */
function readAssembly(label: string, dir: string, prefix: string): StackTemplate[] {
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: any;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  } catch (err) {
    throw new Error(`\`${label}\` is '${dir}', whose manifest.json is not JSON (${(err as Error).message}): ${INPUT_HELP}.`);
  }
  const stacks: StackTemplate[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest?.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack' && typeof artifact.properties?.templateFile === 'string') {
      const file = artifact.properties.templateFile;
      const name = artifact.displayName ?? `${prefix}${id}`;
      stacks.push({
        name,
        keys: [...new Set([name, id, templateStem(file)])],
        stem: templateStem(file),
        template: readTemplate(label, path.join(dir, file)),
      });
    } else if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      stacks.push(...readAssembly(label, path.join(dir, artifact.properties.directoryName), `${prefix}${id}/`));
    }
  }
  return stacks;
}

/** A directory of committed templates, one `<stack>.template.json` (or `.template.yaml`) per stack. */
function readTemplateDirectory(label: string, dir: string): StackTemplate[] {
  return fs.readdirSync(dir)
    .filter(isTemplateFile)
    .sort()
    .map((f) => {
      const stem = templateStem(f);
      return { name: stem, keys: [stem], stem, template: readTemplate(label, path.join(dir, f)) };
    });
}

/** Whether a file name is one of a stack template in a directory: `<stack>.template.json` or `.template.yaml`. */
export function isTemplateFile(file: string): boolean {
  return TEMPLATE_FILE.test(file);
}

function templateStem(file: string): string {
  return path.basename(file).replace(TEMPLATE_FILE, '').replace(/\.(json|ya?ml|template)$/, '');
}
