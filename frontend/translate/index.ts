export {
  translateProgram,
  translateGoal,
  printIRClause,
  printIRLiteral,
  printIRProgram,
  namedVariables,
  type GoalLiteralOrigin,
  type TranslatedGoal,
} from './translate';
export * from './ir';
