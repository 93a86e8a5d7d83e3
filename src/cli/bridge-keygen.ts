import { generateKey } from '../../libs/bridge-protocol/src';

/**
 * `npm run bridge:keygen [id-prefix]`: a new bridge key (32 random bytes), and the lines to
 * paste on the bridge and on the API. The secret is printed once, on stdout only.
 */
function main(argv: readonly string[]): number {
  const prefix = argv[0];
  if (argv.length > 1 || prefix === '--help' || prefix === '-h') {
    process.stderr.write('usage: npm run bridge:keygen [id-prefix]   (default prefix: key)\n');
    return prefix === '--help' || prefix === '-h' ? 0 : 2;
  }
  let key: { id: string; secret: string };
  try {
    key = generateKey(prefix);
  } catch {
    process.stderr.write('the id prefix may hold only letters, digits, "_", "." and "-"\n');
    return 2;
  }
  process.stdout.write(
    [
      'A new bridge key. Keep the secret out of chats, tickets, logs and version control.',
      '',
      `  key id: ${key.id}`,
      `  secret: ${key.secret}`,
      '',
      'On the bridge (npm run start:bridge):',
      `  BRIDGE_KEYS=${key.id}:${key.secret}`,
      '  To rotate without downtime, list it next to the key in use, e.g.',
      `  BRIDGE_KEYS=<current id>:<current secret>,${key.id}:${key.secret}`,
      '  then switch the API to the new key and drop the old entry.',
      '',
      'On the API (DATA_SOURCE=bridge):',
      `  BRIDGE_KEY_ID=${key.id}`,
      `  BRIDGE_SECRET=${key.secret}`,
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
