// Writes the latest benchmark figures from bench/results/*.json into README.md, between
// the `<!-- bench:start -->` and `<!-- bench:end -->` markers, so the README never quotes
// figures that no script produced. Run: `npm run bench:report`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const load = (name) => {
  const path = `bench/results/${name}.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
};

const sections = [];
for (const name of ['api', 'ui', 'delete']) {
  const result = load(name);
  if (!result) {
    sections.push(`**${name}**: not measured yet (\`npm run bench:${name}\`).`);
    continue;
  }
  const rows = (result.rows ?? []).map(
    (r) => `| ${r.name} | ${r.value} | ${r.budget ?? '—'} | ${r.ok === undefined ? '—' : r.ok ? 'within' : '**over**'} |`,
  );
  sections.push(
    [
      `**${result.title ?? name}** — measured ${result.date ?? '?'} on ${result.machine ?? 'this machine'}${result.note ? `. ${result.note}` : ''}`,
      '',
      '| measure | figure | budget | |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}

const readme = readFileSync('README.md', 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < 0) throw new Error('README.md lacks the bench markers');
writeFileSync('README.md', `${readme.slice(0, i + start.length)}\n${sections.join('\n\n')}\n${readme.slice(j)}`);
console.log('README.md benchmark section updated');
