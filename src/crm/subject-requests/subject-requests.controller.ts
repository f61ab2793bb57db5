import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { SubjectRequestDto, SubjectRequestResultDto } from './dto/subject-request.dto';
import { SubjectRequestsService } from './subject-requests.service';

@ApiTags('api: tenant')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/tenant/subject-requests')
export class SubjectRequestsController {
  constructor(private readonly requests: SubjectRequestsService) {}

  @Post()
  @HttpCode(200)
  @TenantPermission('privacy.manage')
  @ApiOperation({
    summary: 'Find, export or erase what the tenant holds about a person, by e-mail (data subject requests)',
    description:
      'Searches the tenant’s contacts (deleted ones too), the rows referring to them (deals, activities, account links, ...) and every text ' +
      'and JSON field of its data, the data audit included. `erase` anonymises the contacts and their activities, blanks their audit ' +
      'entries’ changes and replaces the address wherever else it is written, in one transaction; the data audit records that each ' +
      'contact was erased, and nothing of what it held. The erasure reaches the copies of the tenant’s events too: events not yet ' +
      'sent, the domain event log, and webhook deliveries (payloads, response excerpts, errors), so the delivery log shows no trace ' +
      'and a replay sends none; a delivery already on its way is not recalled. Archives already written are not changed.',
  })
  @ApiOkResponse({ type: SubjectRequestResultDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A byod tenant: its records live in its own system' })
  handle(@Body() dto: SubjectRequestDto): Promise<SubjectRequestResultDto> {
    return this.requests.handle(dto);
  }
}
