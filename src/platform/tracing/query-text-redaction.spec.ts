import { redactedQueryText } from './query-text-redaction';

describe('redactedQueryText', () => {
  it('hides the password literal of CREATE ROLE and ALTER ROLE, keeping the rest of the statement', () => {
    expect(redactedQueryText(`CREATE ROLE "t_acme" LOGIN NOINHERIT PASSWORD 's3cret';\n COMMENT ON ROLE "t_acme" IS 'mark'`)).toBe(
      `CREATE ROLE "t_acme" LOGIN NOINHERIT PASSWORD '[redacted]';\n COMMENT ON ROLE "t_acme" IS 'mark'`,
    );
    expect(redactedQueryText(`alter role "x" password 'a''b'`)).toBe(`alter role "x" PASSWORD '[redacted]'`);
  });

  it("hides an escape-string literal (pg's escapeLiteral writes E'…' when the password holds a backslash)", () => {
    expect(redactedQueryText(`ALTER ROLE "x" PASSWORD  E'back\\\\slash'`)).toBe(`ALTER ROLE "x" PASSWORD '[redacted]'`);
  });

  it('leaves statements without a password literal as they are, columns named like passwords included', () => {
    const select = 'SELECT "user"."password_hash" FROM "users" "user" WHERE "user"."email" = $1';
    expect(redactedQueryText(select)).toBe(select);
    expect(redactedQueryText('ALTER ROLE "x" NOLOGIN')).toBe('ALTER ROLE "x" NOLOGIN');
  });
});
