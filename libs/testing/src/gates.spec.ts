import { testGates } from './gates';

describe('testGates', () => {
  it('holds until the gate is opened, and openAll opens every gate still closed', async () => {
    const gates = testGates();
    const [a, b] = [gates.gate(), gates.gate()];
    const passed: string[] = [];
    void a.opened.then(() => passed.push('a'));
    void b.opened.then(() => passed.push('b'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(passed).toEqual([]);
    b.open();
    await b.opened;
    expect(passed).toEqual(['b']);
    gates.openAll();
    await a.opened;
    expect(passed).toEqual(['b', 'a']);
    gates.openAll(); // again: harmless
  });
});
