/**
 * The Node.js versions package.json promises must be ones every installed
 * dependency supports: a dependency that moved to a newer Node (cookie and
 * content-disposition once went to ≥ 22 while the README said 20) fails here,
 * not on a user's machine with an EBADENGINE warning and a crash later.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('Node.js engines', () => {
  it('every locked dependency supports every Node.js version package.json allows', () => {
    const ours = pkg.engines.node;
    const unsupported = Object.entries(lock.packages)
      .filter(([path]) => path.startsWith('node_modules/'))
      .flatMap(([path, p]) => {
        const theirs = !Array.isArray(p.engines) ? p.engines?.node : undefined;
        return theirs && !semver.subset(ours, theirs) ? [`${path.slice('node_modules/'.length)} needs ${theirs}`] : [];
      });
    expect(unsupported).toEqual([]);
  });

  it('the running Node.js is one package.json allows', () => {
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });
});
