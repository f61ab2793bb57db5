import { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { LookupFunction } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { DataSourceUnreachableError } from './data-source-error';

export interface NetworkPolicy {
  /** Development and tests: customer sources on loopback, private or link-local networks are allowed. */
  allowPrivateNetworks: boolean;
}

/** Ranges of ipaddr.js that only the private-networks switch opens; anything else but unicast is never dialled. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'linkLocal', 'carrierGradeNat', 'uniqueLocal']);
/**
 * Cloud instance and task metadata, where credentials live, so never: the instance endpoint of AWS, GCP, Azure and
 * OpenStack (and AWS's over IPv6), AWS ECS task credentials, EKS Pod Identity (IPv4 and IPv6), Alibaba Cloud's
 * endpoint (in the carrier-grade NAT range, which the private-networks switch would open), and Azure's WireServer
 * (a public address, allowed by every other rule).
 */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  'fd00:ec2::254',
  '169.254.170.2',
  '169.254.170.23',
  'fd00:ec2::23',
  '100.100.100.200',
  '168.63.129.16',
]);

/** Why an address may not be dialled under the policy, or null when it may. */
export function refusalOf(address: string, policy: NetworkPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // process() turns IPv4-mapped IPv6 (::ffff:10.0.0.1) into the IPv4 address it carries.
  const parsed = ipaddr.process(address);
  const normalized = parsed.toString();
  if (METADATA_ADDRESSES.has(normalized)) return `${normalized} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (PRIVATE_RANGES.has(range) && policy.allowPrivateNetworks) return null;
  return `${normalized} is a ${range} address`;
}

/**
 * Resolves `host` and checks every address it resolves to (one bad address is enough to
 * refuse: the client might pick it). Returns the first, so callers can dial exactly that one
 * and a second resolution cannot swap in another (DNS rebinding).
 */
export async function resolveAllowedAddress(host: string, policy: NetworkPolicy): Promise<LookupAddress> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(bare, { all: true, verbatim: true });
  } catch (error) {
    throw new DataSourceUnreachableError(`Cannot resolve host ${host}: ${(error as NodeJS.ErrnoException).code ?? 'lookup failed'}`);
  }
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy);
    if (refusal) {
      throw new DataSourceUnreachableError(
        `Host ${host} resolves to a refused address: ${refusal}; private networks are only allowed where the operator allows them (BYOD_ALLOW_PRIVATE_NETWORKS for data sources, WEBHOOK_ALLOW_PRIVATE_NETWORKS for webhooks), metadata addresses never`,
      );
    }
  }
  if (addresses.length === 0) throw new DataSourceUnreachableError(`Host ${host} resolves to no address`);
  return addresses[0];
}

/** A DNS lookup for an HTTP request that answers with the checked address only; Node asks for a list when it races address families. */
export function pinnedLookup(address: string, family: number): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address, family }]) : callback(null, address, family)) as unknown as LookupFunction;
}
