import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_MATRIX, ACTIONS, isAction, renderAccessMatrix } from './access-matrix';

/** a markdown table's cells, row by row, whatever its alignment (prettier pads tables) */
const tableCells = (markdown: string): string[][] =>
  markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|') && !/^\|[\s:|-]+\|$/.test(line.trim()))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );

describe('the access matrix', () => {
  it('is rendered in docs/auth.md as it is in the code', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/auth.md'), 'utf8');
    const rendered = tableCells(renderAccessMatrix());
    const header = rendered[0].join('|');
    const docTables = tableCells(docs);
    const start = docTables.findIndex((row) => row.join('|') === header);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(docTables.slice(start, start + rendered.length)).toEqual(rendered);
  });

  it('gives auditors every read and no write', () => {
    for (const action of ACTIONS) {
      const spec = ACCESS_MATRIX[action];
      expect([action, (spec.roles as readonly string[]).includes('auditor')]).toEqual([action, !spec.write]);
    }
  });

  it('gives customer admins without the privilege nothing', () => {
    expect(ACTIONS.filter((a) => (ACCESS_MATRIX[a].roles as readonly string[]).includes('customer-admin'))).toEqual([]);
  });

  it('recognises catalogue actions only', () => {
    expect(isAction('case.open')).toBe(true);
    expect(isAction('case.delete')).toBe(false);
    expect(isAction('toString')).toBe(false);
  });
});
