/**
 * The demo accounts of the embedded default: one per demo person. The first person's account is
 * `baseEmail` itself; the others add `+person` to its local part (`demo+ben@example.com`), so
 * that one setting names them all.
 */
export function demoAccounts(
  baseEmail: string,
  people: readonly string[],
): { email: string; person: string }[] {
  const email = baseEmail.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];
  return people.map((person, index) => ({
    email:
      index === 0 ? email : `${local}+${person.toLowerCase().replace(/[^a-z0-9]/g, '')}@${domain}`,
    person,
  }));
}
