/**
 * `npm run user:create -- --username NAME --role ROLE --scope CODE [--name 显示名]`
 * creates an account (the first administrator, typically) in the configured database.
 * The password is read from the environment variable NEW_USER_PASSWORD, or from standard
 * input (`--password-stdin`), never from the command line, where it would stay in the shell
 * history. Roles: see api/auth/permissions.ts.
 */

import { parseArgs } from 'node:util';
import { createAccountAsSystem } from '../accounts/service.ts';
import { openDatabase } from '../db/client.ts';
import { EnvError, parseEnv } from '../env.ts';
import { AppError } from '../errors.ts';
import { ROLES } from '../vocabulary/roles.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  if (!values.username || !values.role || !values.scope) {
    throw new Error(
      `usage: npm run user:create -- --username NAME --role ROLE --scope AREA_CODE [--name 显示名] [--password-stdin]\nroles: ${ROLES.join(', ')}`,
    );
  }
  const password = values['password-stdin'] ? await readStdin() : process.env.NEW_USER_PASSWORD;
  if (!password) throw new Error('give the password in NEW_USER_PASSWORD or on standard input with --password-stdin');
  const env = parseEnv();
  const db = await openDatabase(env);
  try {
    const account = await createAccountAsSystem(db, {
      username: values.username,
      displayName: values.name ?? values.username,
      role: values.role,
      scopeCode: values.scope,
      password,
    });
    console.log(`created ${account.username} (${values.role}, scope ${values.scope})`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof AppError) console.error(`${error.localized.zh}\n${error.localized.en}`);
  else console.error(error instanceof EnvError || error instanceof Error ? error.message : error);
  process.exit(1);
});
