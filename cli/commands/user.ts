import { Writable } from "node:stream";
import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { AccountError } from "../../server/auth/accounts";
import { bootstrapAdmin } from "../../server/auth/bootstrap-admin";
import { createUser } from "../../server/auth/create-user";
import { listUsers } from "../../server/auth/list-users";
import { removeUser } from "../../server/auth/remove-user";
import { setPassword } from "../../server/auth/set-password";
import { env } from "../../server/env";
import { withDatabase } from "../database";
import { EXIT, EXIT_CODES_HELP } from "../exit-codes";

/** Thrown for a password that cannot be read (no terminal, mismatch); shown as a usage error. */
class PasswordInputError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is the shell's (`echo`, here-strings), not the password's.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** Asks on the terminal without echoing what is typed. */
async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** The new password: from stdin with `--password-stdin`, else asked twice on the terminal. Never from argv. */
async function newPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw new PasswordInputError("no terminal to ask for the password: pipe it in with --password-stdin");
  const first = await askHidden("Password (10+ characters): ");
  const second = await askHidden("Repeat the password: ");
  if (first !== second) throw new PasswordInputError("the two passwords differ; nothing was changed");
  return first;
}

/** Runs a user command; account rules it breaks are usage errors (exit 2) with the server's message. */
function run<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof AccountError || e instanceof PasswordInputError)) throw e;
      process.stderr.write(`sgg: ${e.message}\n`);
      process.exitCode = EXIT.usage;
    }
  };
}

/** `sgg user`: accounts of the web workbench (add, list, passwd, remove, bootstrap). */
export function userCommand(): Command {
  const cmd = new Command("user")
    .description("Manage the workbench's user accounts. Passwords are read from the terminal or stdin, never from arguments.")
    .addHelpText("after", EXIT_CODES_HELP);

  cmd
    .command("add <name>")
    .description("Create a user (letters a-z, digits, '.', '_', '-'; 64 at most).")
    .option("--admin", "give the admin role (default: researcher)")
    .option("--password-stdin", "read the password from stdin instead of asking")
    .action(
      run(async (name: string, o: { admin?: boolean; passwordStdin?: boolean }) => {
        const password = await newPassword(o.passwordStdin);
        await withDatabase(async (db) => {
          const user = await createUser(db.prisma, { username: name, password, role: o.admin ? "admin" : "researcher" });
          process.stdout.write(`created user "${user.username}" (${user.role})\n`);
        });
      }),
    );

  cmd
    .command("list")
    .description("List users with their role and signed-in sessions.")
    .action(
      run(() =>
        withDatabase(async (db) => {
          const users = await listUsers(db.prisma);
          if (users.length === 0) process.stdout.write("no users yet (./bin/sgg user add <name>)\n");
          const width = Math.max(8, ...users.map((u) => u.username.length));
          for (const u of users) {
            process.stdout.write(`${u.username.padEnd(width)}  ${u.role.padEnd(10)}  created ${u.createdAt.toISOString().slice(0, 10)}  ${u.activeSessions} session(s)\n`);
          }
        }),
      ),
    );

  cmd
    .command("passwd <name>")
    .description("Set a new password; signs the user out everywhere.")
    .option("--password-stdin", "read the password from stdin instead of asking")
    .action(
      run(async (name: string, o: { passwordStdin?: boolean }) => {
        const password = await newPassword(o.passwordStdin);
        await withDatabase(async (db) => {
          const { sessionsEnded } = await setPassword(db.prisma, { username: name, password });
          process.stdout.write(`password changed for "${name.trim().toLowerCase()}"; ${sessionsEnded} session(s) ended\n`);
        });
      }),
    );

  cmd
    .command("remove <name>")
    .description("Delete a user and their sessions (their jobs and runs stay, without a creator).")
    .action(
      run((name: string) =>
        withDatabase(async (db) => {
          await removeUser(db.prisma, { username: name });
          process.stdout.write(`removed user "${name.trim().toLowerCase()}"\n`);
        }),
      ),
    );

  cmd
    .command("bootstrap")
    .description("If there is no user yet, create 'admin' with a random password, print it once and write it to $SGG_DATA_DIR/admin-password.txt (mode 0600).")
    .action(
      run(() =>
        withDatabase(async (db) => {
          const result = await bootstrapAdmin(db.prisma, env().storage.dataDir);
          if (!result.created) {
            process.stdout.write(`users exist (${result.users}); nothing to do\n`);
            return;
          }
          process.stdout.write(`created the first user "${result.username}" (admin) with the password:\n\n    ${result.password}\n\n`);
          if (result.passwordFile) process.stdout.write(`It is also in ${result.passwordFile} (readable only by you). Change it with ./bin/sgg user passwd admin\n`);
          else process.stderr.write(`sgg: could not write the password file (${result.fileError}); note the password now\n`);
        }),
      ),
    );

  for (const c of cmd.commands) c.exitOverride();
  return cmd;
}
