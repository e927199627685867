// The broker goes down (the test stops mosquitto once this script says the page shows it up): the
// sync chip turns to "broker down" and the alarms banner says so.
import fs from 'node:fs';
import path from 'node:path';
import { artefactDir } from './lib/browser.mjs';
import { scenario } from './lib/station.mjs';

await scenario('broker-down', async ({ page, screenshot }) => {
    await page.waitForSelector('[data-testid="sync"][data-status="connected"]', { timeout: 20000 });
    await screenshot('broker-down-before');
    fs.writeFileSync(path.join(artefactDir(), 'broker-up'), 'up\n');
    await page.waitForSelector('[data-testid="sync"][data-status="down"]', { timeout: 20000 });
    await page.waitForFunction(() => /broker unreachable/.test(document.querySelector('[data-testid="alarms"]').textContent));
});
