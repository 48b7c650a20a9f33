/** The list of `pushpull` commands, in the order `--help` shows them. */
import type { Command } from '../command.ts';
import { devClusterCommand } from './dev-cluster.ts';
import { producerCommand } from './producer.ts';
import { toolsCommand } from './tools.ts';
import { udpCountersCommand } from './udp-counters.ts';
import { validateCommand } from './validate.ts';

export const commands: Command[] = [
  toolsCommand,
  udpCountersCommand,
  validateCommand,
  devClusterCommand,
  producerCommand,
];
