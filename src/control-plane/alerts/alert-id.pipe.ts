import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** An alert's number in a route: digits only, so nothing else reaches the bigint column. */
@Injectable()
export class AlertIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (/^[1-9]\d{0,17}$/.test(value)) return value;
    throw new BadRequestException({
      message: 'Validation failed (id must be an alert number)',
      details: [{ field: 'id', problems: ['must be an alert number'] }],
    });
  }
}
