// The central self-service page in headless Chromium: a customer finds their order, picks an item
// and a reason, gets the return label, and the label's barcodes (zbarimg on the PNG the page
// offers) read back as the return number shown; the status page shows the return authorised; a
// wrong e-mail address is told so. Prints {"rma": …} for the caller to check against the ledger.
//   node central_portal.mjs CENTRAL_URL ORDER EMAIL
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { artefactDir, openBench } from './lib/browser.mjs';

const [url, orderId, email] = process.argv.slice(2);
const bench = await openBench({ width: 1024, height: 900, touch: false });
const { page } = bench;
try {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');

    // A wrong address: refused, and the order stays hidden.
    await page.fill('#order', orderId);
    await page.fill('#email', 'someone.else@example.com');
    await page.click('#find-button');
    await page.waitForSelector('#message:not([hidden])');
    const refused = await page.textContent('#message');
    if (!refused.includes('no order')) throw new Error(`wrong e-mail answered "${refused}"`);

    await page.fill('#email', email);
    await page.click('#find-button');
    await page.waitForSelector('tr[data-line="1"] input.quantity');
    await page.fill('tr[data-line="1"] input.quantity', '1');
    await page.selectOption('tr[data-line="1"] select.reason', 'defective');
    await page.click('#create-button');
    await page.waitForSelector('body[data-state]');
    const state = await page.getAttribute('body', 'data-state');
    const rma = await page.getAttribute('body', 'data-rma');
    if (state !== 'authorised') throw new Error(`return ${rma} is ${state}: ${await page.textContent('#outcome')}`);
    if ((await page.textContent('#rma')) !== rma) throw new Error('the page shows another return number');
    await page.waitForFunction(() => document.getElementById('label-image').naturalWidth > 0);
    await bench.screenshot('central-portal-label');

    // The label as the customer downloads it.
    const href = await page.getAttribute('#label-download', 'href');
    const response = await page.request.get(new URL(href, url).href);
    if (response.status() !== 200) throw new Error(`label download: HTTP ${response.status()}`);
    const file = path.join(artefactDir(), 'central-label.png');
    fs.writeFileSync(file, await response.body());
    const codes = execFileSync('zbarimg', ['--quiet', '--raw', file], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString().trim().split('\n').sort();
    if (codes.length !== 2 || codes.some((code) => code !== rma)) {
        throw new Error(`the label reads ${JSON.stringify(codes)}, expected ${rma} twice (Code 128 and QR)`);
    }

    // The status page.
    await page.click('#track');
    await page.waitForSelector('#status-result:not([hidden])');
    const shown = await page.textContent('#status-state');
    if (shown !== 'authorised') throw new Error(`the status page says "${shown}"`);
    await bench.screenshot('central-portal-status');
    // Chromium logs the refused lookup (HTTP 404 by design) as a failed resource; nothing else may fail.
    const errors = bench.consoleErrors.filter((text) => !text.includes('status of 404'));
    const notFound = bench.consoleErrors.length - errors.length;
    if (errors.length > 0 || notFound !== 1) throw new Error(`console errors: ${bench.consoleErrors.join('; ')}`);
    console.log(JSON.stringify({ rma, codes }));
} catch (error) {
    await bench.screenshot('central-portal-failure').catch(() => {});
    console.error(String(error.stack || error));
    process.exitCode = 1;
} finally {
    await bench.close();
}
