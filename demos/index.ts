/** The index: one card per topic, built from the site's page list. */
import { SITE_PAGES } from '../src/site/site';

const grid = document.getElementById('topics')!;
for (const p of SITE_PAGES) {
  const a = document.createElement('a');
  a.className = 'card';
  a.href = `./${p.id}.html`;
  const title = document.createElement('strong');
  title.textContent = p.title;
  const skill = document.createElement('p');
  skill.textContent = p.skill;
  a.append(title, skill);
  grid.append(a);
}
