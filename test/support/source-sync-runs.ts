import { HttpClient } from './http-client';

/** Starts a "sync now" of the data source at `base` (`/control/tenants/:id/data-source`) and answers its run once it has ended. */
export async function endedSyncRun(api: HttpClient, adminToken: string, base: string): Promise<any> {
  const answer = await api.post(`${base}/sync`, undefined, { token: adminToken });
  if (answer.status !== 202) throw new Error(`POST ${base}/sync answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  for (const deadline = Date.now() + 20_000; ;) {
    const run = (await api.get(`${base}/sync/runs?limit=100`, { token: adminToken })).body.items.find(
      (item: { id: string }) => item.id === answer.body.id,
    );
    if (run?.status === 'succeeded' || run?.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run ${answer.body.id} is still ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
