import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      // class-validator says "property foo should not exist"; name the full path instead.
      m.startsWith(`property ${e.property} `)
        ? `property ${path} ${m.slice(`property ${e.property} `.length)}`
        : m.replace(e.property, path),
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** Whitelisting pipe: unknown fields are refused, types converted, messages name the field. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors).join('; ')),
  });
}
