/**
 * Spells the props and methods a message names the way the calling language does.
 *
 * The jsii runtime of each host language starts the Node process with `JSII_AGENT` set: `Python/3.11.4`,
 * `Java/17.0.9`, `DotNet/8.0.1/...`, and for Go `go1.22.1/linux/amd64` (runtime.Version()/GOOS/GOARCH).
 * Without it the library runs in Node itself: JavaScript or TypeScript.
 *
 * Messages are written once, in TypeScript spelling, with every prop and code fragment in backticks;
 * `spellForHost(message)` rewrites them for the caller.
 */

/** The languages jsii serves, and `UNKNOWN` for an agent this library does not recognize. */
export enum HostLanguage {
  TYPESCRIPT = 'TypeScript',
  PYTHON = 'Python',
  JAVA = 'Java',
  DOTNET = '.NET',
  GO = 'Go',
  UNKNOWN = 'unknown',
}

/** The calling language, from the `JSII_AGENT` the jsii runtime sets. */
export function hostLanguage(env: NodeJS.ProcessEnv = process.env): HostLanguage {
  const agent = env.JSII_AGENT;
  if (agent === undefined || agent === '') {
    return HostLanguage.TYPESCRIPT;
  }
  if (/^python\//i.test(agent)) {
    return HostLanguage.PYTHON;
  }
  if (/^java\//i.test(agent)) {
    return HostLanguage.JAVA;
  }
  if (/^dotnet\//i.test(agent)) {
    return HostLanguage.DOTNET;
  }
  if (/^go\d/i.test(agent) || /^golang\//i.test(agent)) {
    return HostLanguage.GO;
  }
  return HostLanguage.UNKNOWN;
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A prop or method name (camelCase in TypeScript) as `language` spells it. */
function member(name: string, language: HostLanguage): string {
  switch (language) {
    case HostLanguage.PYTHON:
      return snake(name);
    case HostLanguage.DOTNET:
    case HostLanguage.GO:
      return pascal(name);
    default:
      return name;
  }
}

// A prop path: `readCapacity`, `replicas[0].pointInTimeRecoverySpecification.recoveryPeriodInDays`.
const PROP_PATH = /^[a-z][A-Za-z0-9]*(\[[^\]]*\])?(\.[a-z][A-Za-z0-9]*(\[[^\]]*\])?)*$/;
// A setting: `removalPolicy: RemovalPolicy.RETAIN`.
const SETTING = /^([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)*): (.+)$/s;

function propPath(path: string, language: HostLanguage): string {
  return path.replace(/[a-z][A-Za-z0-9]*/g, (segment, offset: number) =>
    // Keep index names and other text inside brackets as written.
    path.lastIndexOf('[', offset) > path.lastIndexOf(']', offset) ? segment : member(segment, language));
}

/**
 * Method calls, struct fields and enum members inside code: `Capacity.autoscaled(`, `plan.addSelection(`,
 * `{ minCapacity, maxCapacity: 10 }`, `RemovalPolicy.RETAIN`.
 */
function code(text: string, language: HostLanguage): string {
  let out = text.replace(/\.([a-z][A-Za-z0-9]*)\(/g, (_m, name: string) => `.${member(name, language)}(`)
    .replace(/\{([^{}]*)\}/g, (_m, fields: string) => `{${fields.replace(/(^|,)(\s*)([a-z][A-Za-z0-9]*)(?=\s*(?:[:,]|$))/g,
      (_f, comma: string, space: string, name: string) => `${comma}${space}${member(name, language)}`)}}`);
  if (language === HostLanguage.GO) {
    // Go spells static methods and enum values `Type_Member` (a spelt prop path `A.B` stays as it is).
    out = out.replace(/\b([A-Z][A-Za-z0-9]*)\.([A-Z][A-Z0-9_]*\b|[A-Za-z][A-Za-z0-9]*(?=\())/g, '$1_$2');
  }
  return out;
}

function span(text: string, language: HostLanguage): string {
  if (PROP_PATH.test(text)) {
    return propPath(text, language);
  }
  const setting = SETTING.exec(text);
  if (setting) {
    const [, name, value] = setting;
    const spelt = propPath(name, language);
    const v = code(value, language);
    switch (language) {
      case HostLanguage.PYTHON:
        return `${spelt}=${v}`;
      case HostLanguage.JAVA:
        return `.${spelt}(${v})`;
      case HostLanguage.DOTNET:
        return `${spelt} = ${v}`;
      default:
        return `${spelt}: ${v}`;
    }
  }
  return code(text, language);
}

/**
 * The message with each backticked prop path, setting (`name: value`) and method call spelt for
 * `language`, which defaults to the calling one. For an unknown caller each prop path is given in
 * the TypeScript/Java spelling followed by the Python one.
 */
export function spellForHost(message: string, language: HostLanguage = hostLanguage()): string {
  if (language === HostLanguage.TYPESCRIPT) {
    return message;
  }
  // A span already followed by its Python spelling was spelt before (an error message wrapped in another).
  return message.replace(/`([^`]+)`( \(Python: `[^`]*`\))?/g, (whole, text: string, spelt: string | undefined) => {
    if (language === HostLanguage.UNKNOWN) {
      if (spelt !== undefined) {
        return whole;
      }
      const python = span(text, HostLanguage.PYTHON);
      return python === text ? whole : `\`${text}\` (Python: \`${python}\`)`;
    }
    return `\`${span(text, language)}\`${spelt ?? ''}`;
  });
}

/**
 * An `Error` whose message is spelt for the calling language: what every user-facing error of the jsii API
 * throws. Write the message in TypeScript spelling, every prop and code fragment in backticks.
 */
export function hostError(message: string): Error {
  return new Error(spellForHost(message));
}
