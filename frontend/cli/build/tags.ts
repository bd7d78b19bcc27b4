/**
 * `--tag` templates: `{predicate}`, `{args}` (all arguments joined by `-`) and `{0}`, `{1}`, ...
 * (one argument; a list argument is joined by `-`). A substituted value is made fit for where
 * it lands: lowercased with other characters as `-` in the repository name, characters other
 * than letters, digits, `_`, `.`, `-` as `-` in the tag. Pure.
 */

interface TaggedImage {
  literal: string;
  predicate: string;
  args: (string | string[])[];
}

type TagPlan = { tags: string[][] } | { error: string };

function knownPlaceholders(arity: number): string {
  if (arity === 0) return '{predicate} or {args}';
  return `{predicate}, {args}, or ${arity === 1 ? '{0}' : `{0} to {${arity - 1}}`}`;
}

/** Every image's tags, or the first problem: an unknown placeholder, an invalid reference, a tag two images would share. */
export function planTags(templates: readonly string[], images: readonly TaggedImage[]): TagPlan {
  const tags: string[][] = [];
  const owner = new Map<string, string>();
  for (const image of images) {
    const own: string[] = [];
    for (const template of templates) {
      const expanded = expandTag(template, image);
      if ('error' in expanded) return expanded;
      const ref = expanded.ref;
      const problem = referenceProblem(ref);
      if (problem) return { error: `--tag ${template} gives \`${ref}\` for ${image.literal}: ${problem}` };
      const previous = owner.get(ref);
      if (previous !== undefined && previous !== image.literal) {
        return { error: `--tag ${template} gives the same tag \`${ref}\` to ${previous} and ${image.literal}; add {args} or {0}, {1}, ...` };
      }
      owner.set(ref, image.literal);
      if (!own.includes(ref)) own.push(ref);
    }
    tags.push(own);
  }
  return { tags };
}

export function expandTag(template: string, image: TaggedImage): { ref: string } | { error: string } {
  const tagStart = tagPartStart(template);
  let error: string | undefined;
  const ref = template.replace(/\{([^{}]*)\}/g, (whole, name: string, offset: number) => {
    const value = placeholderValue(name, image);
    if (value === undefined) {
      error ??= `--tag ${template}: unknown placeholder ${whole} for ${image.literal} (use ${knownPlaceholders(image.args.length)})`;
      return whole;
    }
    return offset >= tagStart ? tagSafe(value) : nameSafe(value);
  });
  return error === undefined ? { ref } : { error };
}

function placeholderValue(name: string, image: TaggedImage): string | undefined {
  if (name === 'predicate') return image.predicate;
  if (name === 'args') return image.args.map(argText).join('-');
  if (/^[0-9]+$/.test(name)) {
    const arg = image.args[Number(name)];
    return arg === undefined ? undefined : argText(arg);
  }
  return undefined;
}

function argText(arg: string | string[]): string {
  return typeof arg === 'string' ? arg : arg.join('-');
}

/** Where the tag begins in a template: after a `:` that follows the last `/`; else past the end. */
function tagPartStart(template: string): number {
  const colon = template.lastIndexOf(':');
  return colon > template.lastIndexOf('/') ? colon + 1 : template.length + 1;
}

function nameSafe(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
}

function tagSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]+/g, '-');
}

const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
const REFERENCE = new RegExp(`^${DOMAIN}${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$`);

/** Why `ref` is not a valid `docker tag` target, or undefined. */
export function referenceProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'empty';
  if (ref.includes('@')) return 'a tag cannot hold a digest';
  if (!REFERENCE.test(ref)) return 'not a valid image reference (name: lowercase letters, digits, separators; tag: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -)';
  return undefined;
}
