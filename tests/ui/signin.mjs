// Sign-in by PIN through the sign-in form, with the site's operators file: a wrong PIN is refused
// without being shown anywhere (screen, state, answers), the right PIN signs its operator in by id
// and name, and the scanner's badge signs another operator in. The test (ui_test.cpp) then checks
// that the station's log holds neither PIN.
import { api, scenario, waitText } from './lib/station.mjs';

const WRONG_PIN = '735911';
const PIN = '2468'; // op-0042, config/station/operators.example.toml

await scenario('signin', async ({ page, url, screenshot }) => {
    await waitText(page, 'operator', /operator op-ui \(not signed in\)/);
    await page.fill('[data-testid="pin"]', WRONG_PIN);
    await page.tap('[data-testid="signin"]');
    await waitText(page, 'last-action', /unknown badge or PIN/);
    await waitText(page, 'operator', /operator op-ui \(not signed in\)/);
    const html = await page.content();
    if (html.includes(WRONG_PIN)) throw new Error('the wrong PIN is on the page');
    const state = await api(url, '/api/state');
    if (state.text.includes(WRONG_PIN)) throw new Error('the wrong PIN is in the UI state');
    await screenshot('signin-refused');

    await page.fill('[data-testid="pin"]', PIN);
    await page.tap('[data-testid="signin"]');
    await waitText(page, 'operator', /operator op-0042 ✓/);
    await waitText(page, 'last-action', /op-0042 \(Ana Martin\) signed in/);
    if ((await page.inputValue('[data-testid="pin"]')) !== '') throw new Error('the PIN field was not cleared');

    // The answer to a posted sign-in does not repeat the credential either.
    const posted = await api(url, '/api/action', { command: `CMD:SIGNIN:${WRONG_PIN}` });
    if (posted.text.includes(WRONG_PIN)) throw new Error(`the answer repeats the PIN: ${posted.text}`);
    const after = await api(url, '/api/state');
    if (after.text.includes(WRONG_PIN)) throw new Error('the wrong PIN is in the UI state');
    await waitText(page, 'operator', /operator op-0042 ✓/);

    // A badge as the scanner reads it (typed into the code field here) signs its operator in.
    await page.fill('[data-testid="scan-input"]', 'BADGE-0017');
    await page.tap('[data-testid="scan-submit"]');
    await waitText(page, 'operator', /operator op-0017 ✓/);
    await screenshot('signin-badge');
});
