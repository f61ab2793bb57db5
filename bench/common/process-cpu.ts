import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Probe } from './load';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel build). */
const TICKS_PER_SECOND = 100;

/**
 * Where the CPU went during a measurement (Linux /proc): the app's processes (the one given and every
 * process it forked, so a node:cluster primary counts with its workers), this bench process (the load
 * generator), and the whole machine; with `postgresPid` (the postmaster of a server the bench started)
 * also PostgreSQL's processes. On a machine whose cores the load generator and PostgreSQL share with
 * the app, throughput alone cannot say whether the app or its neighbours ran out of CPU;
 * `appCpuUsPerRequest` is the app's own cost per answered request, the figure least moved by them.
 */
export function cpuProbe(appPid: number, postgresPid?: number): Probe {
  return async () => {
    const startedAt = performance.now();
    const app = await treeCpuSeconds(appPid);
    const postgres = postgresPid ? await treeCpuSeconds(postgresPid) : 0;
    const machine = await machineBusySeconds();
    const own = process.cpuUsage();
    return async (requests: number) => {
      const wallSeconds = (performance.now() - startedAt) / 1000;
      const appSeconds = (await treeCpuSeconds(appPid)) - app;
      const postgresSeconds = postgresPid ? (await treeCpuSeconds(postgresPid)) - postgres : 0;
      const machineSeconds = (await machineBusySeconds()) - machine;
      const ownUsage = process.cpuUsage(own);
      const ownSeconds = (ownUsage.user + ownUsage.system) / 1e6;
      const cores = (seconds: number) => Math.round((seconds / wallSeconds) * 100) / 100;
      const perRequest = (seconds: number) => Math.round((seconds * 1e6) / Math.max(requests, 1));
      return {
        appCpuUsPerRequest: perRequest(appSeconds),
        ...(postgresPid && { postgresCpuUsPerRequest: perRequest(postgresSeconds) }),
        loadGeneratorCpuUsPerRequest: perRequest(ownSeconds),
        appCores: cores(appSeconds),
        loadGeneratorCores: cores(ownSeconds),
        machineBusyCores: cores(machineSeconds),
      };
    };
  };
}

/**
 * User and system CPU seconds of a process and all its descendants, those that exited included
 * (their time is in their parent's cutime and cstime once reaped: PostgreSQL's ended backends).
 */
async function treeCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return 0; // gone meanwhile
  // The command name may hold spaces and parentheses: the fields that follow start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime and cstime are fields 14 to 17 of the line, 12th to 15th after the name.
  let seconds = fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / TICKS_PER_SECOND;
  for (const child of await childrenOf(pid)) seconds += await treeCpuSeconds(child);
  return seconds;
}

/** The processes `pid` forked that are still running (a node:cluster primary's workers, say). */
export async function childrenOf(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
  const children: number[] = [];
  for (const thread of threads) {
    const listed = await readFile(`/proc/${pid}/task/${thread}/children`, 'utf8').catch(() => '');
    children.push(...listed.split(' ').filter(Boolean).map(Number));
  }
  return children;
}

/** CPU seconds the whole machine spent on anything but idling (all cores summed). */
async function machineBusySeconds(): Promise<number> {
  const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
  // user nice system idle iowait irq softirq steal: all but idle and iowait.
  const [user, nice, system, , , irq, softirq, steal] = cpu.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}
