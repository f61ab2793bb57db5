import { Module } from '@nestjs/common';
import { SubjectRequestsController } from './subject-requests.controller';
import { SubjectRequestsService } from './subject-requests.service';

/** Data subject requests (find, export, erase a person's data by e-mail) over the tenant's own data. */
@Module({
  controllers: [SubjectRequestsController],
  providers: [SubjectRequestsService],
})
export class SubjectRequestsModule {}
