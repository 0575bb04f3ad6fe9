import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, isBlockedAddress, parseIPv6 } from './address.ts';

test('IPv4: private, loopback, link-local, CGNAT, multicast and unspecified are blocked', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
  ];
  for (const [ip, kind] of cases) {
    assert.equal(classifyAddress(ip).kind, kind, ip);
    assert.equal(isBlockedAddress(ip), true, ip);
  }
});

test('IPv4: public addresses next to the blocked ranges are allowed', () => {
  for (const ip of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.0', '169.253.1.1', '192.167.1.1', '11.0.0.1', '223.255.255.255', '126.255.255.255']) {
    assert.equal(classifyAddress(ip).kind, 'public', ip);
    assert.equal(isBlockedAddress(ip), false, ip);
  }
});

test('IPv6: loopback, unspecified, link-local, unique-local and multicast are blocked', () => {
  const cases: [string, string][] = [
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['FF05::2', 'multicast'],
  ];
  for (const [ip, kind] of cases) assert.equal(classifyAddress(ip).kind, kind, ip);
  for (const ip of ['2001:4860:4860::8888', '2606:4700:4700::1111', '2a00:1450::1', '2a01::1']) {
    assert.equal(classifyAddress(ip).kind, 'public', ip);
  }
});

test('IPv4-mapped and IPv4-embedding IPv6 addresses are judged by their IPv4 part', () => {
  assert.equal(classifyAddress('::ffff:127.0.0.1').kind, 'loopback');
  assert.equal(classifyAddress('::ffff:7f00:1').kind, 'loopback');
  assert.equal(classifyAddress('::ffff:10.1.2.3').kind, 'private');
  assert.equal(classifyAddress('::ffff:192.168.0.1').kind, 'private');
  assert.equal(classifyAddress('::ffff:169.254.169.254').kind, 'link-local');
  assert.equal(classifyAddress('::ffff:100.64.1.1').kind, 'cgnat');
  assert.equal(classifyAddress('0:0:0:0:0:ffff:0.0.0.0').kind, 'unspecified');
  assert.equal(classifyAddress('::127.0.0.1').kind, 'loopback');
  assert.equal(classifyAddress('64:ff9b::10.0.0.1').kind, 'private');
  assert.equal(classifyAddress('2002:c0a8:0101::1').kind, 'private'); // 6to4 of 192.168.1.1
  assert.equal(classifyAddress('::ffff:8.8.8.8').kind, 'public');
});

test('invalid input is blocked, never treated as public', () => {
  for (const x of ['', 'localhost', '256.1.1.1', '1.2.3', '::ffff:1.2.3.999', 'gggg::1', '1:2:3:4:5:6:7:8:9']) {
    assert.equal(isBlockedAddress(x), true, x);
  }
});

test('parseIPv6 expands compressed forms', () => {
  assert.deepEqual(parseIPv6('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIPv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
  assert.equal(parseIPv6('1::2::3'), null);
});
