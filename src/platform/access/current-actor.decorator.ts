import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from '../request-context/request-context';

/** The authenticated caller, as the AccessGuard established it. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ user: Actor }>().user;
});
