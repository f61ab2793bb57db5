import { DataSourceUnreachableError } from './data-source-error';
import { refusalOf, resolveAllowedAddress } from './network-guard';

const closed = { allowPrivateNetworks: false };
const open = { allowPrivateNetworks: true };

describe('network guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.10', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s (%s) when private networks are not allowed', (address, range) => {
    expect(refusalOf(address, closed)).toContain(range);
  });

  it('allows public unicast addresses', () => {
    expect(refusalOf('93.184.215.14', closed)).toBeNull();
    expect(refusalOf('2606:2800:21f:cb07:6820:80da:af6b:8b2c', closed)).toBeNull();
  });

  it('allows private networks only when the policy does, but never the unspecified address', () => {
    expect(refusalOf('127.0.0.1', open)).toBeNull();
    expect(refusalOf('10.0.0.1', open)).toBeNull();
    expect(refusalOf('::ffff:192.168.0.1', open)).toBeNull();
    expect(refusalOf('0.0.0.0', open)).toContain('unspecified');
  });

  it('refuses cloud metadata addresses even when private networks are allowed', () => {
    for (const policy of [closed, open]) {
      expect(refusalOf('169.254.169.254', policy)).toContain('metadata');
      expect(refusalOf('::ffff:169.254.169.254', policy)).toContain('metadata');
      expect(refusalOf('fd00:ec2::254', policy)).toContain('metadata');
      for (const address of [
        '169.254.170.2',
        '169.254.170.23',
        'fd00:ec2::23',
        '100.100.100.200',
        '168.63.129.16',
        '::ffff:168.63.129.16',
      ]) {
        expect({ address, refusal: refusalOf(address, policy) }).toEqual({ address, refusal: expect.stringContaining('metadata') });
      }
    }
  });

  it('checks what a host name resolves to', async () => {
    await expect(resolveAllowedAddress('localhost', closed)).rejects.toThrow(DataSourceUnreachableError);
    await expect(resolveAllowedAddress('localhost', open)).resolves.toMatchObject({ address: expect.any(String) });
    await expect(resolveAllowedAddress('127.0.0.1', closed)).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    await expect(resolveAllowedAddress('[::1]', closed)).rejects.toThrow(/loopback/);
  });
});
