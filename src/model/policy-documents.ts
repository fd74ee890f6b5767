/**
 * Policy documents as CloudFormation accepts them: an object, a JSON string, or an `Fn::Sub` of a
 * JSON string (`${Table.Arn}` inside). Every form is read as the object it stands for; the
 * references of an `Fn::Sub` stay on the strings that held them, as `Fn::Sub`s of their own, so
 * `resolveReferences` sees them.
 */

/** Marks where a `${...}` stood while the JSON text is parsed. */
const MARK = '\uE000'; // a private-use character: JSON forbids raw control characters in strings

/**
 * The document a `PolicyDocument` (or `AssumeRolePolicyDocument`) value stands for, or undefined
 * when it is none of the accepted forms (absent, text that is not JSON, another intrinsic).
 * `Fn::Join` of a JSON text is read too: aws-cdk-lib renders an `Fn::Sub` naming resources that way.
 */
export function policyDocument(value: unknown): any {
  if (typeof value === 'string') {
    return parseJson(value);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    return composedDocument(subParts((value as any)['Fn::Sub']));
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    return composedDocument(joinParts((value as any)['Fn::Join']));
  }
  return keys.some((k) => k === 'Ref' || k.startsWith('Fn::')) ? undefined : value;
}

function parseJson(text: string): any {
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of an `Fn::Sub`: literal text, and each `${...}` as an `Fn::Sub` of its own (with the variables). */
function subParts(arg: unknown): unknown[] | undefined {
  const [text, variables] = Array.isArray(arg) ? arg : [arg, undefined];
  if (typeof text !== 'string') {
    return undefined;
  }
  const parts: unknown[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    parts.push(text.slice(last, m.index));
    last = m.index! + m[0].length;
    parts.push(m[1].trim().startsWith('!') ? m[0] : { 'Fn::Sub': variables === undefined ? m[0] : [m[0], variables] });
  }
  parts.push(text.slice(last));
  return parts;
}

/** The parts of an `Fn::Join`, with its delimiter written between them. */
function joinParts(arg: unknown): unknown[] | undefined {
  if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
    return undefined;
  }
  return (arg[1] as unknown[]).flatMap((part, i) => (i > 0 && arg[0] !== '' ? [arg[0], part] : [part]));
}

/**
 * A document composed of text and intrinsics: the text parsed as JSON with a mark for each
 * intrinsic, then each string holding marks put back as the intrinsic (or an `Fn::Join` of its pieces).
 */
function composedDocument(parts: unknown[] | undefined): any {
  if (parts === undefined) {
    return undefined;
  }
  const holes: unknown[] = [];
  const marked = parts.map((p) => {
    if (typeof p === 'string') {
      return p;
    }
    holes.push(p);
    return `${MARK}${holes.length - 1}${MARK}`;
  }).join('');
  const parsed = parseJson(marked);
  if (parsed === undefined) {
    return undefined;
  }
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes(MARK)) {
        return v;
      }
      const pieces = v.split(new RegExp(`${MARK}(\\d+)${MARK}`)).map((piece, i) => (i % 2 === 1 ? holes[Number(piece)] : piece)).filter((piece) => piece !== '');
      return pieces.length === 1 ? pieces[0] : { 'Fn::Join': ['', pieces] };
    }
    if (Array.isArray(v)) {
      return v.map(restore);
    }
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    }
    return v;
  };
  return restore(parsed);
}
