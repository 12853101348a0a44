/**
 * The data folder and everything the server keeps in it are private to the account that
 * runs the server: the folder 0700, its files 0600 (issue 12). The database holds every
 * context and the hashes of every key and session, so "readable by others, briefly" is not
 * good enough: files are created with their final mode (explicit `mode` on open; SQLite's
 * -wal/-shm copy the database file's mode), never created wide and narrowed later.
 *
 * main.ts also sets the process umask to 0o077 before it creates anything, so that a file
 * created by a path these helpers do not cover is private too; the explicit modes here
 * keep buildApp private on its own (tests, and worker threads, where the umask cannot be
 * changed).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner read/write/search only. */
export const PRIVATE_DIR_MODE = 0o700;
/** Owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;
/** What a private process creates: no permission bits at all for group and others. */
export const PRIVATE_UMASK = 0o077;

/** Receives one human-readable line per narrowed path (the server logs it as a warning). */
export type Warn = (message: string) => void;

const openToOthers = (mode: number): boolean => (mode & 0o077) !== 0;

/**
 * Creates `dir` (and missing parents) with mode 0700, or narrows an existing `dir` whose
 * mode lets group or others in, with a warning. Parents that already exist are left alone
 * (they may be the user's home). Throws what `mkdirSync`/`chmodSync` throw (EACCES…).
 */
export function ensurePrivateDir(dir: string, warn: Warn = () => {}): void {
  // The mode applies to every folder mkdir creates here, the umask only narrows it further.
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = statSync(dir).mode & 0o777;
  if (openToOthers(mode)) {
    warn(`${dir} was open to other accounts (mode 0${mode.toString(8)}); restricting it to its owner (mode 0700)`);
    chmodSync(dir, PRIVATE_DIR_MODE);
  }
}

/**
 * Narrows an existing file readable or writable by group or others to 0600, with a
 * warning. Missing files are fine (nothing to narrow). Returns whether it narrowed.
 */
export function narrowPrivateFile(file: string, warn: Warn = () => {}): boolean {
  if (!existsSync(file)) return false;
  const mode = statSync(file).mode & 0o777;
  if (!openToOthers(mode)) return false;
  warn(`${file} was readable by others (mode 0${mode.toString(8)}); restricting it to its owner (mode 0600)`);
  chmodSync(file, PRIVATE_FILE_MODE);
  return true;
}

/**
 * Makes sure `file` exists with mode 0600 before anyone else creates it: created empty
 * with that mode when missing (`O_CREAT` with an explicit mode, not touched by an open
 * file), narrowed with a warning when it exists and is open to others.
 */
export function ensurePrivateFile(file: string, warn: Warn = () => {}): void {
  if (narrowPrivateFile(file, warn)) return;
  // 'a': create if missing, never truncate an existing file.
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** The files SQLite keeps beside a database (WAL mode uses -wal and -shm). */
export const SQLITE_COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/**
 * Before SQLite opens `databaseFile`: its folder 0700, the file itself created 0600 (SQLite
 * creates -wal/-shm/-journal with the database file's permission bits, so they follow),
 * and existing companions open to others narrowed. Each narrowing is reported to `warn`.
 */
export function makeDatabaseFilesPrivate(databaseFile: string, warn: Warn = () => {}): void {
  ensurePrivateDir(dirname(databaseFile), warn);
  ensurePrivateFile(databaseFile, warn);
  for (const suffix of SQLITE_COMPANION_SUFFIXES) narrowPrivateFile(`${databaseFile}${suffix}`, warn);
}
