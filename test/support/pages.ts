import type { Browser } from './app.js';

/** Every page and API about a campaign that some role can reach, public ones included. */
export function campaignPaths(id: string): string[] {
  return ['/', '/campaigns', `/campaigns/${id}`, `/campaigns/${id}/transparency`, `/campaigns/${id}/bulletin.json`, `/campaigns/${id}/results`,
    `/campaigns/${id}/results.json`, `/campaigns/${id}/microdata.json`, `/campaigns/${id}/publication.json`, `/campaigns/${id}/microdata.csv`, `/campaigns/${id}/codebook.json`,
    `/campaigns/${id}/methodology.json`, `/campaigns/${id}/estimation.md`, `/campaigns/${id}/results/units/SXD`, `/campaigns/${id}/rankings.csv`,
    `/campaigns/${id}/indicators.csv`, `/campaigns/${id}/rankings-vi.csv`, `/campaigns/${id}/indicators-vi.csv`, `/campaigns/${id}/results.xlsx`, `/campaigns/${id}/microdata.xlsx`, `/campaigns/${id}/microdata.sav`,
    `/campaigns/${id}/microdata.dta`, `/campaigns/${id}/results/units/SXD/profile.pdf`, `/campaigns/${id}/results/codebook`, `/campaigns/${id}/results/methodology`, `/campaigns/${id}/report`,
    `/campaigns/${id}/report.pdf`, `/campaigns/${id}/unseal`,
    `/campaigns/${id}/results/sealed`, `/campaigns/${id}/responses`, `/campaigns/${id}/sampling`, `/campaigns/${id}/invitations`, '/audit'];
}

/** What `browser` gets from every one of those pages. */
export function everyPage(browser: Browser, campaignId: string) {
  return Promise.all(campaignPaths(campaignId).map(async (path) => ({ path, res: await browser.get(path) })));
}

/** A page that refreshes itself while background work runs (meta refresh), read again until it stops: the final page. */
export async function untilSettled(browser: Browser, path: string, attempts = 600) {
  let page = await browser.get(path);
  for (let i = 0; i < attempts && page.text.includes('http-equiv="refresh"'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    page = await browser.get(path);
  }
  return page;
}
