import { FenceTarget } from '../../../libs/queue/fenced-attempt';

/** A sync run is worked on while unfinished; each attempt claims it (a new `attempt_token`) and fences every write by it. */
export const SOURCE_SYNC_RUN_FENCE: FenceTarget = {
  table: 'source_sync_runs',
  tokenColumn: 'attempt_token',
  ownedWhile: "status IN ('queued', 'running', 'retrying')",
};
