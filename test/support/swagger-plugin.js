// The @nestjs/swagger CLI plugin as a ts-jest AST transformer, so that the e2e tests serve the
// same OpenAPI document as `nest build` (docs/openapi.json).
const transformer = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) =>
  transformer.before(
    {
      classValidatorShim: true,
      introspectComments: true,
      dtoFileNameSuffix: ['.dto.ts'],
      controllerFileNameSuffix: ['.controller.ts'],
    },
    compiler.program,
  );
