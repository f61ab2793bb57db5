import { useContainer } from 'class-validator';

let installed = false;

/**
 * Gives class-validator its constraint instances from a Map, one instance per constraint class as
 * its default container does. The default finds each by a linear search over every instance it has
 * made, one per custom decorator of the whole application, on every rule of every validate(): with
 * hundreds of DTO rules that search was a tenth of a bulk import's row checks (BENCHMARKS.md,
 * bench:import). Idempotent; the container is global to the process, as class-validator's is.
 */
export function useConstraintInstanceMap(): void {
  if (installed) return;
  installed = true;
  const instances = new Map<new () => object, object>();
  useContainer({
    get(someClass: new () => object): object {
      let instance = instances.get(someClass);
      if (!instance) {
        instance = new someClass();
        instances.set(someClass, instance);
      }
      return instance;
    },
  });
}
