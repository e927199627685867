// An item done by touch: the parcel and item codes typed into the code field, the weight from the
// scale, then grade, confirm and close tapped on the screen.
import { scenario, waitState, waitText } from './lib/station.mjs';

await scenario('touch-item', async ({ page, scale, screenshot }) => {
    await page.waitForSelector('[data-testid="device-scale"][data-status="online"]', { timeout: 20000 });
    await page.tap('[data-testid="scan-input"]');
    await page.fill('[data-testid="scan-input"]', 'RMA-UI1');
    await page.tap('[data-testid="scan-submit"]');
    await waitState(page, 'parcel_open');
    await waitText(page, 'line-1', /Bluetooth headphones\s*1\s*0/);
    await page.fill('[data-testid="scan-input"]', '4006381333931');
    await page.tap('[data-testid="scan-submit"]');
    await waitState(page, 'await_weight');
    scale.grams = 515;
    await waitState(page, 'await_grade');
    await waitText(page, 'weight-live', /515 g/);
    await waitText(page, 'photos', /front: (ok|retake)/);
    await screenshot('touch-item-weighed');
    await page.tap('[data-testid="grade-0A"]');
    await waitState(page, 'graded');
    await waitText(page, 'decision', /grade A/);
    await page.tap('[data-testid="confirm"]');
    await waitState(page, 'parcel_open');
    await waitText(page, 'line-1', /Bluetooth headphones\s*1\s*1/);
    await waitText(page, 'done', /grade A/);
    scale.grams = 0;
    await page.tap('[data-testid="close"]');
    await waitState(page, 'idle');
    await waitText(page, 'counters', /^1 item/);
});
