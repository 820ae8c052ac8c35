/** The operator the demo creates, printed in its banner. */
export const DEMO_OPERATOR = {
  username: 'demo',
  password: 'demo-lantern-harbour',
  displayName: 'Demo operator',
} as const;
