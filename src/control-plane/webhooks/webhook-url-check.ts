import { BadRequestException } from '@nestjs/common';
import { NetworkPolicy, resolveAllowedAddress } from '../../../libs/byod/network-guard';

/**
 * Refuses (400 naming `url`) an endpoint URL the platform must not call: plain HTTP in production,
 * credentials in the URL, or a host resolving to an address the network guard refuses. Deliveries
 * check the address again, pinned, so a host re-pointed later is refused then too.
 */
export async function assertDeliverableUrl(url: string, policy: NetworkPolicy & { requireHttps: boolean }): Promise<void> {
  const parsed = new URL(url);
  const refuse = (problem: string) => {
    throw new BadRequestException({ message: `The webhook URL is refused: ${problem}`, details: [{ field: 'url', problems: [problem] }] });
  };
  if (policy.requireHttps && parsed.protocol !== 'https:') refuse('must use https');
  if (parsed.username || parsed.password) refuse('must not carry credentials (the signature authenticates deliveries)');
  try {
    await resolveAllowedAddress(parsed.hostname, policy);
  } catch (error) {
    refuse((error as Error).message);
  }
}
