/** The list of `pushpull` commands, in the order `--help` shows them. */
import type { Command } from '../command.ts';

export const commands: Command[] = [];
