import assert from 'node:assert/strict';
import { builtinResources } from '../../../apimachinery/index.js';
import { formatColumns, humanDuration, objectName, printFallbackTable, printServerTable, type ServerTable } from '../../../cli/printers.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('cli/printers', () => {
  it('prints ages as kubectl does', () => {
    const cases: [number, string][] = [
      [-5 * S, '<invalid>'],
      [0, '0s'],
      [119 * S, '119s'],
      [2 * M, '2m'],
      [5 * M + 30 * S, '5m30s'],
      [10 * M + 5 * S, '10m'],
      [179 * M, '179m'],
      [3 * H + 20 * M, '3h20m'],
      [8 * H + 59 * M, '8h'],
      [47 * H, '47h'],
      [2 * D + 4 * H, '2d4h'],
      [9 * D, '9d'],
      [800 * D, '2y70d'],
      [3000 * D, '8y'],
    ];
    for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
  });

  it('aligns columns with three spaces and a minimum width of six, the last column unpadded', () => {
    assert.equal(formatColumns([['NAME', 'AGE'], ['a', '5s'], ['longer-name', '10m']]), 'NAME          AGE\na             5s\nlonger-name   10m\n');
  });

  const table: ServerTable = {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', priority: 0 },
      { name: 'Ready', type: 'string', priority: 0 },
      { name: 'Clusters', type: 'string', priority: 1 },
      { name: 'Age', type: 'date', priority: 0 },
    ],
    rows: [
      { cells: ['web', '3/3', 'eu,us', '2024-01-01T00:00:00Z'], object: { metadata: { name: 'web', namespace: 'shop' } } },
      { cells: ['api', null, 'eu', '2024-01-01T00:01:00Z'], object: { metadata: { name: 'api', namespace: 'dev' } } },
    ],
  };
  const now = Date.parse('2024-01-01T00:05:00Z');

  it('prints a server Table: priority 0 columns, dates as ages, missing cells as <none>', () => {
    assert.deepEqual(printServerTable(table, { now }), {
      header: ['NAME', 'READY', 'AGE'],
      rows: [
        ['web', '3/3', '5m'],
        ['api', '<none>', '4m'],
      ],
    });
  });

  it('adds wide columns with -o wide, the namespace with -A and a kind prefix for several kinds', () => {
    const t = printServerTable(table, { now, wide: true, withNamespace: true, namePrefix: 'deployment.apps/' });
    assert.deepEqual(t.header, ['NAMESPACE', 'NAME', 'READY', 'CLUSTERS', 'AGE']);
    assert.deepEqual(t.rows[0], ['shop', 'deployment.apps/web', '3/3', 'eu,us', '5m']);
  });

  it('falls back to NAME and AGE for plain objects', () => {
    const items = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x', creationTimestamp: '2024-01-01T00:04:00Z' } }];
    assert.deepEqual(printFallbackTable(items, { now }), { header: ['NAME', 'AGE'], rows: [['c', '60s']] });
    assert.deepEqual(printFallbackTable(items, { now, withNamespace: true }).rows, [['x', 'c', '60s']]);
  });

  it('names objects kind.group/name', () => {
    const find = (plural: string) => builtinResources.find((r) => r.plural === plural)!;
    assert.equal(objectName(find('deployments'), 'web'), 'deployment.apps/web');
    assert.equal(objectName(find('services'), 'web'), 'service/web');
    assert.equal(objectName(find('propagationpolicies'), 'p'), 'propagationpolicy.policy.fedgate.io/p');
  });
});
