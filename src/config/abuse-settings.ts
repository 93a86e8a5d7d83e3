import { registerDecorator, ValidationOptions } from 'class-validator';
import { invalidAllowlistItems, parseAllowlist } from '../modules/security/domain/abuse-policy';

/** ABUSE_ALLOWLIST: comma-separated IP addresses and CIDRs (no named ranges, no host names). */
export function IsAddressAllowlist(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isAddressAllowlist',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must list IP addresses or CIDRs (203.0.113.7, 10.0.0.0/8, 2001:db8::/32)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          (typeof value === 'string' && invalidAllowlistItems(parseAllowlist(value)).length === 0),
      },
    });
  };
}
