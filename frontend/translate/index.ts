export {
  translateProgram,
  translateGoal,
} from './translate';
export * from './ir';
