import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatHostPort, parseHostPort } from './address.ts';

describe('host:port flags', () => {
  it('parses IPv4, names, IPv6 in brackets and a bare port', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:9125', '--statsd', false), { host: '127.0.0.1', port: 9125 });
    assert.deepEqual(parseHostPort('statsd.ns.svc:9125', '--statsd', false), {
      host: 'statsd.ns.svc',
      port: 9125,
    });
    assert.deepEqual(parseHostPort('[::1]:0', '--rig-listen', true), { host: '::1', port: 0 });
    assert.deepEqual(parseHostPort(':8080', '--metrics-listen', true), { host: '127.0.0.1', port: 8080 });
  });

  it('names the flag, the value and the expected form when wrong', () => {
    assert.throws(
      () => parseHostPort('localhost', '--statsd', false),
      /--statsd: "localhost" is not allowed; expected HOST:PORT/,
    );
    assert.throws(() => parseHostPort('127.0.0.1:0', '--statsd', false), /port 1\.\.65535/);
    assert.throws(
      () => parseHostPort('127.0.0.1:70000', '--rig-listen', true),
      /--rig-listen: "127.0.0.1:70000"/,
    );
  });

  it('formats IPv6 hosts in brackets', () => {
    assert.equal(formatHostPort({ host: '::1', port: 80 }), '[::1]:80');
    assert.equal(formatHostPort({ host: '127.0.0.1', port: 80 }), '127.0.0.1:80');
  });
});
