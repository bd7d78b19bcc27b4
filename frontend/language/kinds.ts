/** The three kinds of expression: what an expression builds, if anything. */
export type Kind = 'Image' | 'Layer' | 'Logic';

export const ALL_KINDS: readonly Kind[] = ['Image', 'Layer', 'Logic'];

/** `e1, e2`: the allowed (left, right) → result combinations; anything else is an error. */
const CONJUNCTION_TABLE: ReadonlyArray<readonly [Kind, Kind, Kind]> = [
  ['Image', 'Logic', 'Image'],
  ['Image', 'Layer', 'Image'],
  ['Logic', 'Image', 'Image'],
  ['Layer', 'Layer', 'Layer'],
  ['Logic', 'Layer', 'Layer'],
  ['Layer', 'Logic', 'Layer'],
  ['Logic', 'Logic', 'Logic'],
];

export function conjunctionKind(left: Kind, right: Kind): Kind | undefined {
  return CONJUNCTION_TABLE.find(([l, r]) => l === left && r === right)?.[2];
}

/** `e1 ; e2`: both sides of the same kind. */
export function disjunctionKind(left: Kind, right: Kind): Kind | undefined {
  return left === right ? left : undefined;
}
