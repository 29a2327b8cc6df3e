/** @deprecated The site's page list moved to `src/site/site.ts`. */
export { SITE_PAGES, type SitePage } from '../site/site';
