import { Module } from '@nestjs/common';
import { ControlPlaneFeed } from './control-plane-feed';

/** The one LISTEN connection of this process; modules that push changes register their channel on it. */
@Module({
  providers: [ControlPlaneFeed],
  exports: [ControlPlaneFeed],
})
export class ChangeFeedModule {}
