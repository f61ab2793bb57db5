import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { DatabaseServersService } from './database-servers.service';
import { CreateDatabaseServerDto } from './dto/create-database-server.dto';
import { DatabaseServerDto } from './dto/database-server.dto';
import { UpdateDatabaseServerDto } from './dto/update-database-server.dto';

@ApiTags('control: database servers')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/database-servers')
export class DatabaseServersController {
  constructor(private readonly servers: DatabaseServersService) {}

  @Post()
  @ApiOperation({ summary: 'Register a PostgreSQL server for dedicated tenant databases (connection is checked first)' })
  @ApiCreatedResponse({ type: DatabaseServerDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Name already in use' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'Cannot connect, the role may not create databases and roles, or connectionBudget exceeds max_connections',
  })
  create(@Body() dto: CreateDatabaseServerDto): Promise<DatabaseServerDto> {
    return this.servers.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List database servers' })
  @ApiOkResponse({ type: [DatabaseServerDto] })
  list(): Promise<DatabaseServerDto[]> {
    return this.servers.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a database server' })
  @ApiOkResponse({ type: DatabaseServerDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DatabaseServerDto> {
    return this.servers.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Drain, disable, resize, set its connection budget or change the admin password of a server' })
  @ApiOkResponse({ type: DatabaseServerDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'The new password does not connect, or connectionBudget exceeds max_connections',
  })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDatabaseServerDto): Promise<DatabaseServerDto> {
    return this.servers.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unregister a server that holds no tenant database' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Tenants still live on the server' })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.servers.remove(id);
  }
}
