import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/**
 * package.json's `engines.node` says which Node.js versions the project runs on: every
 * version it admits must be one that each installed package (package-lock.json, dev tools
 * included: `npm ci` installs them) declares it supports, and no lower bound may be stricter
 * than some package needs. When an upgrade raises a dependency's floor, this fails and names
 * the package; raise the range (and README's "needs Node.js …" line) with it.
 */
const ROOT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

/** each installed package that declares the Node.js versions it supports */
const declared = Object.entries(lock.packages)
  .filter(([path]) => path !== '')
  .flatMap(([path, info]) => {
    const node = !Array.isArray(info.engines) ? info.engines?.node : undefined;
    return node && semver.validRange(node)
      ? [{ name: `${path.replace(/^.*node_modules\//, '')}@${info.version}`, node }]
      : [];
  });

describe("package.json's engines", () => {
  const range = manifest.engines.node;

  it('is a valid range and the lock declares engines to check it against', () => {
    expect(semver.validRange(range)).not.toBeNull();
    expect(declared.length).toBeGreaterThan(100);
  });

  it('admits only Node.js versions that every installed package supports', () => {
    const refusing = declared.filter((d) => !semver.subset(range, d.node)).map((d) => `${d.name} needs ${d.node}`);
    expect(refusing).toEqual([]);
  });

  it('starts each of its lines where some package needs it (one minor lower is refused by one)', () => {
    for (const part of range.split('||')) {
      const floor = semver.minVersion(part.trim());
      expect(floor).not.toBeNull();
      const { major, minor } = floor as semver.SemVer;
      if (minor === 0) continue; // a line's .0: nothing lower in that line to compare with
      const lower = `${major}.${minor - 1}.0`;
      expect(declared.filter((d) => !semver.satisfies(lower, d.node)).map((d) => d.name)).not.toEqual([]);
    }
  });
});
