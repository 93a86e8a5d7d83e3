import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { isValidTimeZone } from '../domain/time-zone';

/** class-validator constraint: an IANA time zone the runtime knows ("Europe/Berlin"). */
@ValidatorConstraint({ name: 'ianaTimeZone', async: false })
export class IanaTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidTimeZone(value);
  }

  defaultMessage(): string {
    return 'timezone must be an IANA time zone such as Europe/Berlin';
  }
}
