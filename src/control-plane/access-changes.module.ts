import { Global, Module } from '@nestjs/common';
import { AccessChanges } from './access-changes';

@Global()
@Module({
  providers: [AccessChanges],
  exports: [AccessChanges],
})
export class AccessChangesModule {}
