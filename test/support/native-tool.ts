import { spawnSync } from 'node:child_process';

/**
 * Whether a native tool (a Debian package: nginx, promtool, testssl.sh, sqlmap, nft …) is on this
 * machine. `.ci/system-packages` installs them all. Under CI=true a missing tool fails the suite;
 * elsewhere the suite is skipped with a visible message, as the Redis tests are.
 */
export function nativeTool(command: string): boolean {
  const found =
    spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`]).status === 0;
  if (!found && process.env.CI === 'true') {
    throw new Error(`${command} is required under CI=true: run bash .ci/system-packages`);
  }
  if (!found) {
    process.stderr.write(`SKIPPED: ${command} is not installed (bash .ci/system-packages)\n`);
  }
  return found;
}

/** `describe` when every tool is present, `describe.skip` (with the message above) otherwise. */
export function describeWithTools(...commands: string[]): jest.Describe {
  return commands.every((command) => nativeTool(command)) ? describe : describe.skip;
}
