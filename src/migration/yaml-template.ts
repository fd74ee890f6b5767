import { parse, Tags } from 'yaml';

/** CloudFormation's short-form intrinsic functions, each read as the long form (`!Join` -> `Fn::Join`). */
const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not', 'Or',
  'Select', 'Split', 'Sub', 'Transform', 'ValueOf', 'Length', 'ToJsonString', 'ForEach',
];

/**
 * The YAML tags of CloudFormation templates, for the `yaml` package. Each tag is declared for a scalar,
 * a sequence and a mapping, since templates use all three (`!Sub 'x'`, `!Sub [x, {...}]`, `!Transform {...}`).
 */
function cloudFormationTags(): Tags {
  const tags: Tags = [];
  const declare = (tag: string, toJson: (value: unknown) => unknown) => {
    tags.push({ tag, resolve: (value: string) => toJson(value) });
    tags.push({ tag, collection: 'seq', resolve: (value: any) => toJson(value.toJSON()) });
    tags.push({ tag, collection: 'map', resolve: (value: any) => toJson(value.toJSON()) });
  };
  declare('!Ref', (value) => ({ Ref: value }));
  declare('!Condition', (value) => ({ Condition: value }));
  // `!GetAtt Table.Arn` is `{ "Fn::GetAtt": ["Table", "Arn"] }`; the attribute may itself contain dots.
  declare('!GetAtt', (value) => ({
    'Fn::GetAtt': typeof value === 'string' && value.includes('.')
      ? [value.slice(0, value.indexOf('.')), value.slice(value.indexOf('.') + 1)]
      : value,
  }));
  for (const name of FUNCTIONS) {
    declare(`!${name}`, (value) => ({ [`Fn::${name}`]: value }));
  }
  return tags;
}

/**
 * Parses a CloudFormation template written in YAML into the JSON form CloudFormation itself returns
 * (`aws cloudformation get-template --output json`), so that YAML and JSON templates compare equal.
 *
 * @throws when the text is not YAML
 */
export function parseYamlTemplate(text: string): unknown {
  return parse(text, { customTags: cloudFormationTags(), schema: 'core', prettyErrors: true, maxAliasCount: 1000 });
}
