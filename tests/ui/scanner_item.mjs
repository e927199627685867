// An item done by scanner commands only: every code and command arrives as a scan (POST /api/scan,
// what a keyboard-wedge scanner's text becomes), while the page follows each step by itself.
import { api, scenario, waitState, waitText } from './lib/station.mjs';

await scenario('scanner-item', async ({ page, url, scale, screenshot }) => {
    const scan = async (text) => {
        const answer = await api(url, '/api/scan', { text });
        if (answer.status !== 202) throw new Error(`scan ${text}: HTTP ${answer.status} ${answer.text}`);
    };
    await page.waitForSelector('[data-testid="device-scale"][data-status="online"]', { timeout: 20000 });
    await scan('SO-UI2');
    await waitState(page, 'parcel_open');
    await waitText(page, 'parcel-rma', /RMA-UI2/);
    await scan('4012345678901');
    await waitState(page, 'await_weight');
    scale.grams = 40; // far below the 300 g expected: a possible empty box
    await waitState(page, 'await_accept');
    await waitText(page, 'messages', /weight mismatch: measured 40 g/);
    await screenshot('scanner-item-mismatch');
    await scan('CMD:ACCEPT');
    await waitState(page, 'await_grade');
    await scan('CMD:GRADE:1:B');
    await waitState(page, 'graded');
    await page.waitForSelector('[data-testid="grade-1B"][aria-pressed="true"]');
    // Apparel's required question, answered by its command barcode.
    await page.waitForSelector('[data-testid="question-tags_attached"].missing');
    await scan('CMD:CHECK:tags_attached:YES');
    await page.waitForSelector('[data-testid="question-tags_attached"]:not(.missing)[data-answer="yes"]');
    await scan('CMD:CONFIRM');
    await waitState(page, 'parcel_open');
    await waitText(page, 'line-1', /Shirt, size M\s*1\s*1/);
    scale.grams = 0;
    await scan('CMD:CLOSE');
    await waitState(page, 'idle');
});
