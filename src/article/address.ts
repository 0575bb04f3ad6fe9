import { isIP } from 'node:net';

/**
 * Classify IP addresses for the URL fetcher: which ones a fetch must refuse
 * (server-side request forgery guard). Pure functions, no I/O.
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'multicast'
  | 'unspecified'
  | 'unique-local'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

export interface AddressClass {
  kind: AddressKind;
  /** True when a fetch must not connect there (everything but 'public'). */
  blocked: boolean;
}

function cls(kind: AddressKind): AddressClass {
  return { kind, blocked: kind !== 'public' };
}

function parseIPv4(ip: string): number[] | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

export function classifyIPv4(ip: string): AddressClass {
  const o = parseIPv4(ip);
  if (!o) return cls('invalid');
  const [a, b, c] = o;
  if (a === 0) return cls(o.every((x) => x === 0) ? 'unspecified' : 'reserved'); // 0.0.0.0/8 "this network"
  if (a === 127) return cls('loopback');
  if (a === 10) return cls('private');
  if (a === 172 && b >= 16 && b <= 31) return cls('private');
  if (a === 192 && b === 168) return cls('private');
  if (a === 100 && b >= 64 && b <= 127) return cls('cgnat');
  if (a === 169 && b === 254) return cls('link-local');
  if (a >= 224 && a <= 239) return cls('multicast');
  if (o.every((x) => x === 255)) return cls('broadcast');
  if (a >= 240) return cls('reserved');
  if (a === 192 && b === 0 && c === 0) return cls('reserved'); // IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return cls('reserved'); // benchmarking
  return cls('public');
}

/** Eight 16-bit groups of an IPv6 address (zone id dropped), or null. */
export function parseIPv6(input: string): number[] | null {
  let ip = input.replace(/^\[|\]$/g, '');
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  if (isIP(ip) !== 6) return null;
  // An embedded dotted quad becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) {
    const o = parseIPv4(dotted[1]);
    if (!o) return null;
    ip = ip.slice(0, dotted.index) + ((o[0] << 8) | o[1]).toString(16) + ':' + ((o[2] << 8) | o[3]).toString(16);
  }
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 && missing !== 0) return null;
  if (missing < 0) return null;
  const groups = [...head, ...new Array(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) => parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  return groups;
}

function v4FromGroups(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

export function classifyIPv6(ip: string): AddressClass {
  const g = parseIPv6(ip);
  if (!g) return cls('invalid');
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return cls('unspecified');
  if (zeroUpTo(7) && g[7] === 1) return cls('loopback');
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d: judge the IPv4 address.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIPv4(v4FromGroups(g[6], g[7]));
  if (zeroUpTo(6)) return classifyIPv4(v4FromGroups(g[6], g[7]));
  // IPv4/IPv6 translation 64:ff9b::/96 and 64:ff9b:1::/48 embed an IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b) return classifyIPv4(v4FromGroups(g[6], g[7]));
  // 6to4 2002::/16 embeds an IPv4 address in groups 1-2.
  if (g[0] === 0x2002) return classifyIPv4(v4FromGroups(g[1], g[2]));
  if ((g[0] & 0xffc0) === 0xfe80) return cls('link-local');
  if ((g[0] & 0xffc0) === 0xfec0) return cls('private'); // deprecated site-local
  if ((g[0] & 0xfe00) === 0xfc00) return cls('unique-local');
  if ((g[0] & 0xff00) === 0xff00) return cls('multicast');
  if (g[0] === 0x100 && zeroUpTo(4)) return cls('reserved'); // discard prefix 100::/64
  if (g[0] === 0x2001 && g[1] === 0x0db8) return cls('reserved'); // documentation
  return cls('public');
}

/** Classify an IPv4 or IPv6 literal (brackets and zone ids accepted). */
export function classifyAddress(ip: string): AddressClass {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return classifyIPv4(bare);
  if (bare.includes(':')) return classifyIPv6(bare);
  return cls('invalid');
}

/** True when a fetch must refuse to connect to this address. Invalid input counts as blocked. */
export function isBlockedAddress(ip: string): boolean {
  return classifyAddress(ip).blocked;
}
