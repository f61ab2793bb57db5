import { Page } from '../../platform/pagination/cursor-pagination';
import { ActivityDto, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto';

/** Where a tenant's activities live: its Tenantry database, or its own through a mapping. */
export interface ActivitiesStore {
  create(dto: CreateActivityDto): Promise<ActivityDto>;
  list(query: ListActivitiesQueryDto): Promise<Page<ActivityDto>>;
  get(id: string): Promise<ActivityDto>;
  update(id: string, dto: UpdateActivityDto): Promise<ActivityDto>;
  complete(id: string): Promise<ActivityDto>;
  remove(id: string): Promise<void>;
  restore(id: string): Promise<ActivityDto>;
}
