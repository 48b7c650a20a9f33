/**
 * The one error type the dev cluster throws: a message a user can act on (which component, what it
 * was waiting for, the tail of that component's log). The CLI prints it without a stack trace.
 */

/** Starting, checking or stopping the dev cluster failed; `message` says what and how to fix it. */
export class DevClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DevClusterError';
  }
}
