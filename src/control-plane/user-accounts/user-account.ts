import { PlatformRole, UserStatus } from '../users/entities/user.entity';

export type { PlatformRole, UserStatus };

/** An account as sign-in and account management see it; its password hash only where asked for. */
export interface UserAccount {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  platformRole: PlatformRole | null;
  createdAt: Date;
  updatedAt: Date;
}
