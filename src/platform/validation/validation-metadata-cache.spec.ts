import { getMetadataStorage, IsInt, IsString, Max, registerDecorator, validateSync } from 'class-validator';
import { rememberValidationMetadata } from './validation-metadata-cache';

class PageQuery {
  @IsInt()
  @Max(100)
  limit!: number;
}

class SearchQuery extends PageQuery {
  @IsString()
  search!: string;
}

class Note {
  @IsString({ groups: ['draft'] })
  @IsString({ groups: ['final'] })
  title!: unknown;

  @IsString({ groups: ['final'] })
  body!: unknown;
}

const query = (values: Partial<SearchQuery>) => Object.assign(new SearchQuery(), values);
const failedProperties = (object: object, groups?: string[]) =>
  validateSync(object, { groups })
    .map((error) => error.property)
    .sort();

describe('rememberValidationMetadata', () => {
  const storage = getMetadataStorage();
  const scan = jest.spyOn(storage, 'getTargetValidationMetadatas');

  beforeAll(() => rememberValidationMetadata(storage));
  beforeEach(() => scan.mockClear());

  it('scans the registered classes once per class, however often one is validated', () => {
    for (let i = 0; i < 5; i += 1) validateSync(query({ limit: 50, search: 'smi' }));
    expect(scan).toHaveBeenCalledTimes(1);
    rememberValidationMetadata(storage);
    validateSync(query({ limit: 50, search: 'smi' }));
    expect(scan).toHaveBeenCalledTimes(1);
  });

  it('still applies the rules a class inherits as well as its own', () => {
    expect(failedProperties(query({ limit: 500, search: 'smi' }))).toEqual(['limit']);
    expect(failedProperties(query({ limit: 50, search: 7 as unknown as string }))).toEqual(['search']);
    expect(failedProperties(query({ limit: 50, search: 'smi' }))).toEqual([]);
  });

  it('answers each validation group apart', () => {
    const note = Object.assign(new Note(), { title: 1, body: 2 });
    expect(failedProperties(note, ['draft'])).toEqual(['title']);
    expect(failedProperties(note, ['final'])).toEqual(['body', 'title']);
    expect(failedProperties(note, ['draft'])).toEqual(['title']);
  });

  it('forgets what it remembered when a rule is registered later', () => {
    expect(failedProperties(query({ limit: 50, search: 'x' }))).toEqual([]);
    registerDecorator({
      name: 'atLeastThreeCharacters',
      target: SearchQuery,
      propertyName: 'search',
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length >= 3 },
    });
    expect(failedProperties(query({ limit: 50, search: 'x' }))).toEqual(['search']);
  });
});
