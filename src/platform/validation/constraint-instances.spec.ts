import {
  getFromContainer,
  IsEmail,
  registerDecorator,
  validateSync,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { constraintInstances, useConstraintInstanceMap } from './constraint-instances';

let made = 0;

@ValidatorConstraint({ name: 'even' })
class Even implements ValidatorConstraintInterface {
  constructor() {
    made += 1;
  }
  validate(value: unknown): boolean {
    return typeof value === 'number' && value % 2 === 0;
  }
}

class Signup {
  @IsEmail()
  email!: string;
  seats!: number;
}
registerDecorator({ name: 'even', target: Signup, propertyName: 'seats', validator: Even });

const signup = (email: string, seats: number) => Object.assign(new Signup(), { email, seats });
const failed = (object: object) => validateSync(object).map((error) => Object.keys(error.constraints ?? {})[0]);

describe('useConstraintInstanceMap', () => {
  beforeAll(() => useConstraintInstanceMap());

  it('makes one instance per constraint class, from the Map class-validator now asks', () => {
    expect(getFromContainer(Even)).toBe(constraintInstances.get(Even));
    expect(getFromContainer(Even)).toBe(getFromContainer(Even));
    validateSync(signup('a@example.com', 2));
    validateSync(signup('a@example.com', 4));
    expect(made).toBe(1);
  });

  it('still applies built-in and custom rules', () => {
    expect(failed(signup('a@example.com', 2))).toEqual([]);
    expect(failed(signup('not an address', 2))).toEqual(['isEmail']);
    expect(failed(signup('a@example.com', 3))).toEqual(['even']);
  });
});
