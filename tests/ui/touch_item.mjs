// An item done by touch: the parcel and item codes typed into the code field, the weight from the
// scale, then the electronics checklist answered (confirm waits for its required questions, which
// are highlighted until answered), grade, confirm and close tapped on the screen.
import { checkMainActionsReachable, scenario, waitState, waitText } from './lib/station.mjs';

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
    await waitText(page, 'item-name', /Bluetooth headphones · 4006381333931 · electronics/);
    // The category's checklist, its two required questions highlighted.
    await page.waitForSelector('[data-testid="question-powers_on"].missing');
    await page.waitForSelector('[data-testid="question-activation_lock"].missing');
    await page.waitForSelector('[data-testid="question-screen_ok"]:not(.missing)');
    await waitText(page, 'checklist-note', /2 required question/);
    // The checklist open: every action, grade and answer button still on the 1280x800 screen.
    await checkMainActionsReachable(page);
    // The camera is online: a code the scanner cannot read can be read by it (key K).
    await page.waitForSelector('[data-testid="camera-read"]:not([disabled])');
    await screenshot('touch-item-weighed');
    await page.tap('[data-testid="grade-0A"]');
    await waitState(page, 'graded');
    await waitText(page, 'decision', /grade A/);
    // Confirm waits for the required answers.
    await page.waitForSelector('[data-testid="confirm"]:disabled');
    await page.tap('[data-testid="check-powers_on-yes"]');
    await page.waitForSelector('[data-testid="question-powers_on"]:not(.missing)[data-answer="yes"]');
    await page.waitForSelector('[data-testid="check-powers_on-yes"][aria-pressed="true"]');
    await page.tap('[data-testid="check-screen_ok-na"]');
    await page.waitForSelector('[data-testid="question-screen_ok"][data-answer="na"]');
    await page.tap('[data-testid="check-activation_lock-no"]');
    await page.waitForSelector('[data-testid="question-activation_lock"]:not(.missing)[data-answer="no"]');
    await waitText(page, 'checklist-note', /required questions answered/);
    await screenshot('touch-item-checklist');
    await page.waitForSelector('[data-testid="confirm"]:enabled');
    await page.tap('[data-testid="confirm"]');
    await waitState(page, 'parcel_open');
    await waitText(page, 'line-1', /Bluetooth headphones\s*1\s*1/);
    await waitText(page, 'done', /grade A/);
    scale.grams = 0;
    await page.tap('[data-testid="close"]');
    await waitState(page, 'idle');
    await waitText(page, 'counters', /^bench: 1 item\(s\) · 1 parcel\(s\)/);
    await waitText(page, 'counters-operator', /^op-ui: 1 item\(s\)/);
    await waitText(page, 'counters-detail', /grades A 1; \w/);
});
