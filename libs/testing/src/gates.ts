/**
 * A promise that a test holds something on (a transaction left open, a batch half applied)
 * until it opens the gate.
 */
export interface Gate {
  /** resolves once the gate is open */
  readonly opened: Promise<void>;
  open(): void;
}

export interface Gates {
  /** a new gate, closed */
  gate(): Gate;
  /** opens every gate made so far; call it first thing in `afterEach` */
  openAll(): void;
}

/**
 * Gates that teardown can open. A test that holds a transaction on a gate and fails before
 * opening it would otherwise leave that transaction open for as long as the process lives:
 * the teardown that stops the runner or ends the pool waits for it (and times out), jest
 * then does not exit, and the session stays "idle in transaction", holding back
 * `pg_snapshot_xmin` and with it every reader of the global log on the server.
 *
 *   const gates = testGates();
 *   afterEach(() => gates.openAll());
 *   const b = gates.gate();
 *   ... await b.opened ...   b.open();
 */
export const testGates = (): Gates => {
  const made: Gate[] = [];
  return {
    gate() {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      const gate = { opened, open: () => open() };
      made.push(gate);
      return gate;
    },
    openAll() {
      for (const gate of made.splice(0)) gate.open();
    },
  };
};
