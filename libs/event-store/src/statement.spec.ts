import { statement, statementName } from './statement';

describe('statement', () => {
  it('names a text by its hash: one text, one name, the same object each time', () => {
    const a = statement('SELECT 1');
    expect(a).toEqual({ text: 'SELECT 1', name: expect.stringMatching(/^stmt_[0-9a-f]{16}$/) });
    expect(statement('SELECT 1')).toBe(a);
    expect(statementName('SELECT 1')).toBe(a.name);
  });

  it('gives different texts different names, within PostgreSQL’s 63-byte identifiers', () => {
    const texts = ['SELECT 1', 'SELECT 2', 'SELECT 1 ', 'SELECT * FROM t_v1_g1', 'SELECT * FROM t_v1_g2'];
    const names = texts.map(statementName);
    expect(new Set(names).size).toBe(texts.length);
    expect(Math.max(...names.map((n) => Buffer.byteLength(n)))).toBeLessThanOrEqual(63);
  });
});
