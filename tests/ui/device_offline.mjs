// A device going offline: the scale is unplugged (its TCP connection dropped); the page shows it
// offline, in the header and in the alarms banner, within a second.
import { scenario } from './lib/station.mjs';

await scenario('device-offline', async ({ page, scale, screenshot }) => {
    await page.waitForSelector('[data-testid="device-scale"][data-status="online"]', { timeout: 20000 });
    await screenshot('device-offline-before');
    const start = Date.now();
    await scale.unplug();
    await page.waitForSelector('[data-testid="device-scale"][data-status="offline"]', { timeout: 5000 });
    const elapsed = Date.now() - start;
    await page.waitForFunction(() => /scale offline/.test(document.querySelector('[data-testid="alarms"]').textContent));
    console.log(`scale offline shown after ${elapsed} ms`);
    if (elapsed > 1000) throw new Error(`the page showed the scale offline after ${elapsed} ms (> 1 s)`);
});
