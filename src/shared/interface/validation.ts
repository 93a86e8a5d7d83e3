import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInputError, InvalidParameter } from '../domain/domain-error';

function flatten(errors: readonly ValidationError[], prefix = ''): InvalidParameter[] {
  return errors.flatMap((error) => {
    const name = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      name,
      reason: reason.replace(/^property (\S+) should not exist$/, 'unknown parameter $1'),
    }));
    return [...own, ...flatten(error.children ?? [], name)];
  });
}

/** Turns class-validator failures into one domain error that names every bad parameter. */
export function validationErrorFactory(errors: ValidationError[]): InvalidInputError {
  const parameters = flatten(errors);
  const names = [...new Set(parameters.map((p) => p.name))];
  return new InvalidInputError(
    'REQUEST.VALIDATION_FAILED',
    `The request has ${names.length} invalid parameter${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
    parameters,
  );
}

/**
 * The one ValidationPipe of the service (main.ts and the e2e tests use the same): unknown fields
 * are rejected, known ones transformed to their declared types. Messages never echo a value.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorFactory,
  });
}
