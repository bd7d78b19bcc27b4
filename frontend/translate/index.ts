export {
  translateProgram,
  translateGoal,
} from './translate';
export * from '../language/ir';
