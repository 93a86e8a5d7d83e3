// The bundled fetch client names the DOM's `BodyInit`, which a Node-only TypeScript project (lib
// ES2023 + @types/node, as here) does not declare. A browser project has it from lib "dom" and
// does not need this file.
declare global {
  type BodyInit = NonNullable<RequestInit['body']>;
}

export {};
