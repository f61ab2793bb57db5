import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = Parameters<MetadataStorage['addValidationMetadata']>[0];
type TargetLookup = MetadataStorage['getTargetValidationMetadatas'];
/** A class, or a schema's name. */
type ValidationTarget = Parameters<TargetLookup>[0] | string;

const remembering = new WeakSet<MetadataStorage>();

/**
 * Makes class-validator remember which rules apply to a class.
 *
 * On every validate() class-validator finds the rules of the object's class, inherited ones
 * included, by scanning every class that has rules (typestack/class-validator#2686), so the cost
 * grows with each DTO class the application adds (BENCHMARKS.md, bench:crm). The
 * answer only changes when rules are registered, and decorators register them while classes are
 * defined; a registration at any later time (registerDecorator, registerSchema) forgets everything
 * remembered. Idempotent: the storage is global, and several applications may share a process.
 */
export function rememberValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  if (remembering.has(storage)) return;
  remembering.add(storage);

  const lookUp: TargetLookup = storage.getTargetValidationMetadatas.bind(storage);
  const register = storage.addValidationMetadata.bind(storage);
  // Per class (or schema name), the answers by the lookup's other arguments.
  let remembered = new Map<ValidationTarget, Map<string, ValidationMetadata[]>>();

  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    const target = targetConstructor ?? targetSchema;
    const key = JSON.stringify([targetSchema, always, strictGroups, groups ?? null]);
    let answers = remembered.get(target);
    if (!answers) remembered.set(target, (answers = new Map<string, ValidationMetadata[]>()));
    let metadatas = answers.get(key);
    if (!metadatas) answers.set(key, (metadatas = lookUp(targetConstructor, targetSchema, always, strictGroups, groups)));
    return metadatas;
  };
  storage.addValidationMetadata = (metadata) => {
    remembered = new Map();
    register(metadata);
  };
}
