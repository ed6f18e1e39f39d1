import assert from 'node:assert/strict';
import { parseHostPort } from '../../../cli/listen-address.js';

describe('parseHostPort', () => {
  it('parses IPv4, bracketed IPv6 and an empty host', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:6443', '--listen'), { host: '127.0.0.1', port: 6443 });
    assert.deepEqual(parseHostPort('[::1]:80', '--listen'), { host: '::1', port: 80 });
    assert.deepEqual(parseHostPort(':0', '--listen'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseHostPort('localhost:8080', '--listen'), { host: 'localhost', port: 8080 });
  });

  it('rejects what is not HOST:PORT, naming the flag', () => {
    for (const bad of ['6443', '127.0.0.1', '127.0.0.1:70000', '127.0.0.1:http', '::1:80', 'a:b:c']) {
      assert.throws(() => parseHostPort(bad, '--listen'), /--listen: .* is not HOST:PORT/, bad);
    }
  });
});
