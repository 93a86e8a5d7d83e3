export * from './protocol';
export * from './signing';
export * from './keys';
export * from './nonce-store';
export * from './verification';
