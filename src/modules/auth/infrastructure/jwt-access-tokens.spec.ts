import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { JWT_AUDIENCE, JWT_ISSUER, JwtAccessTokens } from './jwt-access-tokens';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters-0123';

describe('JwtAccessTokens', () => {
  it('verifies the tokens it issues, and again from memory', async () => {
    const tokens = new JwtAccessTokens(SECRET, 900);
    const userId = randomUUID();
    const { token } = await tokens.issue(userId);
    await expect(tokens.verify(token)).resolves.toEqual({ userId });
    await expect(tokens.verify(token)).resolves.toEqual({ userId });
  });

  it('refuses a token signed with another key, altered, or of another issuer', async () => {
    const tokens = new JwtAccessTokens(SECRET, 900);
    const other = new JwtAccessTokens(`${SECRET}-other`, 900);
    const { token } = await other.issue(randomUUID());
    await expect(tokens.verify(token)).resolves.toBeUndefined();

    const mine = (await tokens.issue(randomUUID())).token;
    await expect(tokens.verify(mine)).resolves.toBeDefined();
    const [header, payload, signature] = mine.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(tokens.verify(`${header}.${payload}.${flipped}`)).resolves.toBeUndefined();

    const foreign = await new JwtService({ secret: SECRET }).signAsync(
      {},
      { subject: randomUUID(), issuer: 'someone-else', audience: JWT_AUDIENCE, expiresIn: 900 },
    );
    await expect(tokens.verify(foreign)).resolves.toBeUndefined();
  });

  it('refuses an expired token, whether checked before or not', async () => {
    let now = Date.now();
    const tokens = new JwtAccessTokens(SECRET, 60, () => now);
    const { token } = await tokens.issue(randomUUID());
    await expect(tokens.verify(token)).resolves.toBeDefined();
    // Past expiry plus the 5 s clock tolerance: the remembered token is refused too.
    now += 66_000;
    await expect(tokens.verify(token)).resolves.toBeUndefined();

    const expired = await new JwtService({ secret: SECRET }).signAsync(
      { exp: Math.floor(Date.now() / 1000) - 60 },
      { subject: randomUUID(), issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    );
    await expect(new JwtAccessTokens(SECRET, 60).verify(expired)).resolves.toBeUndefined();
  });

  it('accepts a remembered token until just before expiry plus tolerance', async () => {
    let now = Date.now();
    const tokens = new JwtAccessTokens(SECRET, 60, () => now);
    const { token } = await tokens.issue(randomUUID());
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    await expect(tokens.verify(token)).resolves.toBeDefined();
    now = (exp + 5) * 1000 - 1;
    await expect(tokens.verify(token)).resolves.toBeDefined();
    now = (exp + 5) * 1000;
    await expect(tokens.verify(token)).resolves.toBeUndefined();
  });
});
