import assert from 'node:assert/strict';
import { isBadRequest } from '../../../apimachinery/index.js';
import {
  addAmounts,
  compareAmount,
  exceededResources,
  fitsWithin,
  formatQuantity,
  parseQuantity,
  parseResourceList,
  quantityAmount,
  subtractAmounts,
  toAmounts,
  toResourceList,
} from '../../../apimachinery/quantity.js';
import { seededRandom } from '../../../controller/index.js';


describe('quantity', () => {
  it('parses the usual spellings of cpu into millicores', () => {
    const cases: [string | number, number][] = [
      ['500m', 500], ['0.5', 500], ['2', 2000], [2, 2000], [0.25, 250], ['1e3', 1_000_000], ['0.1', 100],
      ['.5', 500], ['1.', 1000], ['100u', 1], ['1n', 1], ['1500m', 1500], ['+3', 3000], ['1k', 1_000_000],
    ];
    for (const [q, want] of cases) assert.equal(quantityAmount('cpu', q), want, String(q));
  });

  it('parses memory and counts into base units, binary and decimal suffixes', () => {
    const cases: [string, number][] = [
      ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['1G', 1e9], ['100k', 100_000], ['1e3', 1000], ['1E3', 1000],
      ['8Gi', 8 * 2 ** 30], ['1.5Gi', 1.5 * 2 ** 30], ['110', 110], ['1Ki', 1024], ['2Ti', 2 * 2 ** 40], ['0', 0],
      ['500m', 1], ['1.2', 2], ['12e-1', 2],
    ];
    for (const [q, want] of cases) assert.equal(quantityAmount('memory', q), want, q);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('1Ki'), 1024);
    assert.equal(quantityAmount('cpu', '-500m'), -500);
  });

  it('refuses malformed quantities with BadRequest', () => {
    for (const bad of ['', 'abc', '1KB', '1K', '1 Gi', '--1', '1.2.3', 'Gi', '1e', '1e999', '0x10', '1mi', NaN, Infinity]) {
      assert.throws(() => quantityAmount('memory', bad as string), (e: unknown) => isBadRequest(e), String(bad));
    }
  });

  it('formats amounts back to the shortest exact quantity, and parsing that gives the amount back (property)', () => {
    assert.equal(formatQuantity('cpu', 500), '500m');
    assert.equal(formatQuantity('cpu', 2000), '2');
    assert.equal(formatQuantity('memory', 128 * 2 ** 20), '128Mi');
    assert.equal(formatQuantity('memory', 2 ** 30), '1Gi');
    assert.equal(formatQuantity('memory', 1e9), '1G');
    assert.equal(formatQuantity('memory', 1500), '1500');
    assert.equal(formatQuantity('memory', 3000), '3k');
    assert.equal(formatQuantity('pods', 110), '110');
    const rand = seededRandom(42);
    for (let i = 0; i < 2000; i++) {
      const name = ['cpu', 'memory', 'pods', 'ephemeral-storage'][i % 4]!;
      const magnitude = 10 ** Math.floor(rand() * 12);
      const amount = Math.floor(rand() * magnitude) * (rand() < 0.3 ? 1024 : 1);
      const text = formatQuantity(name, amount);
      assert.equal(quantityAmount(name, text), amount, `${name} ${amount} → ${text}`);
      assert.ok(text.length <= String(amount).length + 1, `${text} is not shorter than ${amount}`);
    }
  });

  it('agrees with float arithmetic for random decimal quantities, rounding up (property)', () => {
    const rand = seededRandom(7);
    const suffixes: [string, number][] = [['', 1], ['m', 1e-3], ['k', 1e3], ['Ki', 1024], ['Mi', 2 ** 20], ['M', 1e6]];
    for (let i = 0; i < 2000; i++) {
      const whole = Math.floor(rand() * 1000);
      const frac = Math.floor(rand() * 1000);
      const [suffix, mult] = suffixes[Math.floor(rand() * suffixes.length)]!;
      const text = `${whole}.${String(frac).padStart(3, '0')}${suffix}`;
      const exact = (whole * 1000 + frac) * mult; // thousandths of a unit
      const want = Math.ceil(Math.round(exact * 1e6) / 1e9 - 1e-9);
      assert.equal(quantityAmount('memory', text), Math.max(want, 0), text);
      assert.equal(quantityAmount('cpu', text), Math.ceil(Math.round(exact * 1e6) / 1e6 - 1e-9), text);
    }
  });

  it('parses --node-capacity lists and explains bad input', () => {
    assert.deepEqual(parseResourceList('cpu=4,memory=8Gi,pods=110'), { cpu: '4', memory: '8Gi', pods: '110' });
    assert.deepEqual(parseResourceList(' cpu = 500m , nvidia.com/gpu=1 '), { cpu: '500m', 'nvidia.com/gpu': '1' });
    const bad: [string, RegExp][] = [
      ['', /empty/],
      ['cpu', /"cpu" is not name=quantity/],
      ['cpu=', /"cpu=" is not name=quantity/],
      ['=4', /is not name=quantity/],
      ['cpu=4,,memory=1Gi', /"" is not name=quantity/],
      ['cpu=lots', /cpu=lots is not a quantity/],
      ['cpu=4,cpu=2', /cpu is given twice/],
      ['cpu=-1', /negative/],
      ['c p u=1', /not a resource name/],
    ];
    for (const [text, re] of bad) {
      assert.throws(() => parseResourceList(text), (e: unknown) => isBadRequest(e) && re.test((e as Error).message), text);
    }
  });

  it('adds, subtracts and compares amounts; toAmounts and toResourceList round-trip', () => {
    const a = toAmounts({ cpu: '1500m', memory: '1Gi', pods: 3 });
    assert.deepEqual(a, { cpu: 1500, memory: 2 ** 30, pods: 3 });
    assert.deepEqual(toResourceList(a), { cpu: '1500m', memory: '1Gi', pods: '3' });
    const b = { cpu: 500, 'example.com/dongle': 2 };
    assert.deepEqual(addAmounts(a, b), { cpu: 2000, memory: 2 ** 30, pods: 3, 'example.com/dongle': 2 });
    assert.deepEqual(subtractAmounts(a, b), { cpu: 1000, memory: 2 ** 30, pods: 3, 'example.com/dongle': -2 });
    assert.deepEqual(exceededResources({ cpu: 2000, memory: 1, pods: 1 }, { cpu: 1000, memory: 5 }), ['cpu', 'pods']);
    assert.equal(fitsWithin({ cpu: 1000, memory: 0 }, { cpu: 1000 }), true);
    assert.equal(compareAmount('cpu', a, b), 1);
    assert.equal(compareAmount('memory', b, a), -1);
    assert.equal(compareAmount('gpu', a, b), 0);
    assert.throws(() => toAmounts({ memory: '1KB' }), /memory: quantity "1KB" is not valid/);
    // property: (a + b) − b == a
    const rand = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      const x = { cpu: Math.floor(rand() * 1e6), memory: Math.floor(rand() * 1e12) };
      const y = { cpu: Math.floor(rand() * 1e6), pods: Math.floor(rand() * 100) };
      assert.deepEqual(subtractAmounts(addAmounts(x, y), y), { ...x, pods: 0 });
    }
  });
});
