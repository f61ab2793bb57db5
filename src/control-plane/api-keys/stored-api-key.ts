import { ApiKeyScope } from '../../platform/access/api-key-format';

/** An API key as the authenticator checks it: its secret's hash, whose it is, and whether it still holds. */
export interface StoredApiKey {
  id: string;
  scope: ApiKeyScope;
  tenantId: string | null;
  secretHash: Buffer;
  permissions: string[];
  createdByUserId: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}
