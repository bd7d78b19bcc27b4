/**
 * The language's facts in one place: kinds, builtins, operators, the names the translation
 * invents and how literals are written back as text. Plain data and pure functions; every stage
 * (checks, translation, solver, planner, transpiler, CLI) reads them from here.
 */
export { ALL_KINDS, conjunctionKind, disjunctionKind, type Kind } from './kinds';
export { BUILTINS, BUILTIN_KINDS, builtinSignature, type BuiltinSignature } from './builtins';
export {
  OPERATORS,
  acceptsArgumentCount,
  operatorSignature,
  takesListArgument,
  type OperatorSignature,
} from './operators';
export {
  ANONYMOUS_VARIABLE_PREFIX,
  FORMAT_VARIABLE_PREFIX,
  QUERY_PREDICATE,
  isFormatChainStep,
  isInventedVariable,
  isNegationHelper,
  isUserPredicate,
  negationHelperIndex,
  negationHelperName,
  operatorBegin,
  operatorEnd,
  parseOperatorMarker,
  renamedApart,
  writtenName,
} from './names';
export { literalText, operatorText, termText } from './text';
