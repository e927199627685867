// Operator feedback around labels, through the real station and a Zebra on TCP (lib/zebra.mjs):
// the printer runs out of paper, so the confirmed item's label is held — shown with its count and
// LPN — and prints when the paper is back (shown with its time); a reprint and an undo are
// confirmed on screen; an item undone while its label is held has that label withdrawn (it never
// reaches the printer). The layout is checked with the electronics checklist open.
import { FakeZebra } from './lib/zebra.mjs';
import { api, checkMainActionsReachable, scenario, waitState, waitText } from './lib/station.mjs';

const zebra = new FakeZebra(Number(process.env.RETOUR_PRINTER_PORT));
zebra.paperOut = true;
await zebra.listen();

await scenario('held-labels', async ({ page, url, scale, screenshot }) => {
    const scan = async (text) => {
        const answer = await api(url, '/api/scan', { text });
        if (answer.status !== 202) throw new Error(`scan ${text}: HTTP ${answer.status} ${answer.text}`);
    };
    // Tap a button and wait until the last action shown is that command, newer than before, in `state`.
    const act = async (testid, command, state) => {
        const before = await page.getAttribute('[data-testid="last-action"]', 'data-action-id');
        await page.tap(`[data-testid="${testid}"]`);
        await page.waitForFunction(([old, cmd, st]) => {
            const box = document.querySelector('[data-testid="last-action"]');
            return box.dataset.actionId !== old && box.dataset.action === cmd && box.dataset.actionState === st;
        }, [before, command, state], { timeout: 15000 });
    };
    const labels = async () => (await api(url, '/api/state')).json.labels;
    // The headphones put on the scale, checklist answered (yes / no by touch) and graded 0A by touch.
    const inspect = async (checkLayout) => {
        await waitState(page, 'await_weight');
        scale.grams = 0;
        await waitText(page, 'weight-live', /^0 g/);
        scale.grams = 515;
        await waitState(page, 'await_grade', 15000);
        await page.tap('[data-testid="check-powers_on-yes"]');
        await page.tap('[data-testid="check-activation_lock-no"]');
        await waitText(page, 'checklist-note', /required questions answered/);
        await page.tap('[data-testid="grade-0A"]');
        await waitState(page, 'graded');
        if (checkLayout) {
            const n = await checkMainActionsReachable(page);
            console.log(`${n} action buttons inside 1280x800, none under 48 px, no scrolling`);
            await screenshot('held-labels-checklist-layout');
        }
        await page.waitForSelector('[data-testid="confirm"]:enabled');
        await act('confirm', 'CONFIRM', 'done');
        await waitState(page, 'parcel_open');
    };

    await page.waitForSelector('[data-testid="device-scale"][data-status="online"]', { timeout: 20000 });
    await scan('RMA-UI1');
    await waitState(page, 'parcel_open');
    await scan('4006381333931');
    await inspect(true);

    // Paper out: the label is held, with its count and LPN, and the last action says so.
    await page.waitForSelector('[data-testid="labels"][data-state="not_ready"][data-held="1"]', { timeout: 10000 });
    const [first] = (await labels()).jobs;
    await page.waitForSelector(`[data-testid="held-${first.lpn}"]`);
    await waitText(page, 'last-action', new RegExp(`confirmed ${first.lpn}.*label HELD`));
    await waitText(page, 'labels-state', /PRINTER NOT READY.*1 label\(s\) held/);
    await screenshot('held-labels-held');
    if (zebra.jobs.length !== 0) throw new Error('a label printed with the paper out');

    // Paper loaded: the held label prints, shown with its time.
    zebra.paperOut = false;
    await page.waitForSelector('[data-testid="labels"][data-state="ready"][data-held="0"]', { timeout: 15000 });
    await waitText(page, 'labels-printed', new RegExp(`${first.lpn} printed .*\\(was held\\)`));
    await waitText(page, 'last-action', /label printed/);
    if (zebra.jobs.length !== 1 || !zebra.jobs[0].includes(first.lpn)) throw new Error(`printer got ${zebra.jobs.length} job(s)`);

    // Reprint: confirmed once the copy is out.
    await act('reprint', 'REPRINT', 'done');
    await waitText(page, 'last-action', new RegExp(`reprint done: ${first.lpn} printed`));
    if (zebra.jobs.length !== 2 || !zebra.jobs[1].includes(first.lpn)) throw new Error(`printer got ${zebra.jobs.length} job(s) after the reprint`);

    // Undo: confirmed on screen, the line back to not found, the item inspected again.
    await act('undo', 'UNDO', 'done');
    await waitText(page, 'last-action', new RegExp(`undo done: ${first.lpn} is void`));
    await waitText(page, 'line-1', /Bluetooth headphones\s*1\s*0/);
    await screenshot('held-labels-undone');

    // Paper out again: the item confirmed again, its label held, then undone: withdrawn.
    zebra.paperOut = true;
    await inspect(false);
    await page.waitForSelector('[data-testid="labels"][data-state="not_ready"][data-held="1"]', { timeout: 10000 });
    const [second] = (await labels()).jobs;
    if (second.lpn === first.lpn) throw new Error('an LPN was reused');
    await act('undo', 'UNDO', 'done');
    await page.waitForSelector('[data-testid="labels"][data-held="0"]');

    // Paper back: the third confirmation prints; the withdrawn label never does.
    zebra.paperOut = false;
    await inspect(false);
    const third = (await api(url, '/api/state')).json.last_action.lpn;
    await waitText(page, 'labels-printed', new RegExp(`${third} printed`), 20000);
    await waitText(page, 'line-1', /Bluetooth headphones\s*1\s*1/);
    if (zebra.jobs.some((zpl) => zpl.includes(second.lpn))) throw new Error(`the withdrawn label ${second.lpn} was printed`);
    if (zebra.jobs.length !== 3) throw new Error(`printer got ${zebra.jobs.length} job(s), expected 3`);
    await waitText(page, 'counters', /^bench: 1 item\(s\)/);
    await waitText(page, 'counters-operator', /^op-ui: 1 item\(s\)/);
    console.log(`held ${first.lpn}, printed when the paper was back, reprinted, undone; ${second.lpn} withdrawn; ${third} printed`);
}, async () => zebra.close());
