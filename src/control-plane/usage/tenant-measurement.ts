/** What the measurement job found in a tenant's data on one day. */
export interface TenantMeasurement {
  /** Rows of each tenant table, by table name; empty when the data is not ours to count (byod). */
  rowsByEntity: Record<string, number>;
  storageBytes: number;
  /** What `storageBytes` counts, for the placement measured. */
  storageNote: string;
}
