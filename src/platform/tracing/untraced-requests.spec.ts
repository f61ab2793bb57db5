import { IncomingMessage } from 'node:http';
import { isUntracedRequest } from './untraced-requests';

const request = (url: string) => ({ url }) as IncomingMessage;

describe('isUntracedRequest', () => {
  it('leaves the health probes and the metrics scrape untraced, query strings or not', () => {
    expect(['/health', '/health/ready', '/metrics', '/metrics?x=1'].map((url) => isUntracedRequest(request(url)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('traces every other request, including paths that merely start like a probe', () => {
    expect(['/api/contacts', '/healthy', '/control/metrics-report'].map((url) => isUntracedRequest(request(url)))).toEqual([
      false,
      false,
      false,
    ]);
  });
});
