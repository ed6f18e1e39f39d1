import assert from 'node:assert/strict';
import { parseWorkers } from '../../../cli/commands/dns.js';
import { MAX_WORKERS } from '../../../dns/index.js';

describe('fedgate dns --workers', () => {
  it('takes a whole number from 1 to the maximum, and leaves the default when absent', () => {
    assert.equal(parseWorkers(undefined), undefined);
    assert.equal(parseWorkers('1'), 1);
    assert.equal(parseWorkers(' 4 '), 4);
    assert.equal(parseWorkers(String(MAX_WORKERS)), MAX_WORKERS);
  });

  it('rejects anything else with a message naming the flag and the value', () => {
    for (const bad of ['0', '-2', '1.5', 'two', '', '1e1', String(MAX_WORKERS + 1)]) {
      assert.throws(() => parseWorkers(bad), (err: Error) => err.message.includes('--workers') && err.message.includes(`"${bad}"`), bad);
    }
  });
});
