import { BaselineKind, startBaseline } from './baseline-servers';

/** Runs one baseline server in its own process and reports its URL over IPC. */
const { kind, secret } = JSON.parse(process.env.TENANTRY_BENCH_BASELINE!) as { kind: BaselineKind; secret: string };
startBaseline(kind, secret)
  .then((url) => process.send?.({ url }))
  .catch((error: unknown) => {
    process.stderr.write(`baseline ${kind} failed: ${String(error)}\n`);
    process.exit(1);
  });
process.on('SIGTERM', () => process.exit(0));
