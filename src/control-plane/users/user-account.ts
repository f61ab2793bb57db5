import { PlatformRole, UserStatus } from '../schema/user.entity';

export type { PlatformRole, UserStatus };

/** An account as sign-in and account management see it, without its password hash. */
export interface UserAccount {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  platformRole: PlatformRole | null;
  createdAt: Date;
  updatedAt: Date;
}
