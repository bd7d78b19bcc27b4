export {
  translateProgram,
  translateGoal,
  type GoalLiteralOrigin,
  type TranslatedGoal,
} from './translate';
export * from './ir';
