// Makes sure Debian's Chromium is there for Playwright (its own browser download cannot
// work on this machine). Installs it with apt-get when missing and we are root; otherwise
// fails with a clear message.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) process.exit(0);

if (process.getuid?.() !== 0) {
  console.error(`Chromium not found at ${chromium}. Install Debian's package: sudo apt-get install -y chromium`);
  process.exit(1);
}
console.log(`Chromium not found at ${chromium}: installing Debian's chromium package…`);
try {
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core', {
    stdio: 'inherit',
  });
} catch {
  console.error('Installing chromium with apt-get failed; the browser tests cannot run without it.');
  process.exit(1);
}
if (!existsSync(chromium)) {
  console.error(`apt-get finished but ${chromium} is still missing.`);
  process.exit(1);
}
