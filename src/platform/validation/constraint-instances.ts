import { useContainer } from 'class-validator';

const instances = new Map<new () => object, object>();

/** class-validator's constraint instances, one per constraint class as its default container keeps them, found by a Map lookup. */
export const constraintInstances = {
  get(someClass: new () => object): object {
    let instance = instances.get(someClass);
    if (!instance) {
      instance = new someClass();
      instances.set(someClass, instance);
    }
    return instance;
  },
};

let installed = false;

/**
 * Makes class-validator take its constraint instances from `constraintInstances`. Its default
 * container finds each by a linear search over every instance it has made (one per custom decorator
 * of the whole application) for every rule of every validate(): with hundreds of DTO rules that
 * search was a tenth of a bulk import's row checks (BENCHMARKS.md, bench:import). Idempotent; the
 * container is global to the process, as class-validator's is.
 */
export function useConstraintInstanceMap(): void {
  if (installed) return;
  installed = true;
  useContainer(constraintInstances);
}
