import type { Command } from '../io';

export const buildCommand: Command = {
  name: 'build',
  summary: 'not implemented yet',
  usage: 'modus build',
  async run(_argv, io) {
    io.stderr('modus build: not implemented yet\n');
    return 1;
  },
};
