import { Global, Module } from '@nestjs/common';
import { AccessChanges } from './access-changes';
import { AccessChangeFeed } from './change-feed/access-change-feed';
import { ChangeFeedModule } from './change-feed/change-feed.module';

@Global()
@Module({
  imports: [ChangeFeedModule],
  providers: [AccessChanges, AccessChangeFeed],
  exports: [AccessChanges],
})
export class AccessChangesModule {}
