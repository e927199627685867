// What the station UI scenarios share: the station's JSON API, waiting for the page to reach a
// state, and a simulated Mettler Toledo MT-SICS scale on TCP (docs/protocols/serial-scales.md §1) that the station
// connects to as tcp:127.0.0.1:PORT?protocol=mt-sics.
import { openBench } from './browser.mjs';
import { TcpDevice } from './tcp_device.mjs';

export function args() {
    const [url, scalePort] = process.argv.slice(2);
    if (!url) throw new Error('usage: node <scenario>.mjs <station url> [scale port]');
    return { url, scalePort: Number(scalePort || 0) };
}

export async function api(url, path, body) {
    const response = await fetch(new URL(path, url), body === undefined ? {} : {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, json, text };
}

// Resolves when the page's rendered workflow state is `state` (body[data-state]).
export async function waitState(page, state, timeout = 10000) {
    await page.waitForSelector(`body[data-state="${state}"]`, { timeout });
}

export async function waitText(page, testid, pattern, timeout = 10000) {
    await page.waitForFunction(
        ([id, source]) => new RegExp(source).test(document.querySelector(`[data-testid="${id}"]`)?.textContent || ''),
        [testid, pattern.source], { timeout });
}

// The simulated scale: answers @ with its identity and S / SI / SIR with the current weight.
export class MtSicsScale extends TcpDevice {
    constructor(port) {
        super(port);
        this.grams = 0;
    }

    serve(socket) {
        let buffer = '';
        let stream = null;
        const reading = () => `S S ${this.grams.toFixed(2).padStart(10)} g\r\n`;
        socket.on('data', (data) => {
            buffer += data.toString('latin1');
            let end;
            while ((end = buffer.indexOf('\r\n')) >= 0) {
                const line = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                if (line === '@') socket.write('I4 A "SIM0001"\r\n');
                else if (line === 'SIR') {
                    clearInterval(stream);
                    stream = setInterval(() => socket.write(reading()), 100);
                } else if (line === 'S' || line === 'SI') socket.write(reading());
                else socket.write('ES\r\n');
            }
        });
        socket.on('close', () => clearInterval(stream));
    }

    // The scale is unplugged: every connection dropped and nothing listens any more.
    unplug() {
        return this.close();
    }
}

// Opens the bench page with the scale simulator running; `run(bench)` does the scenario. Exit
// status 0 on success; a failure prints its reason and leaves a screenshot.
export async function scenario(name, run, cleanup) {
    const { url, scalePort } = args();
    const scale = scalePort ? new MtSicsScale(scalePort) : null;
    if (scale) await scale.listen();
    const bench = await openBench();
    bench.url = url;
    bench.scale = scale;
    let status = 0;
    try {
        await bench.page.goto(url);
        await run(bench);
        await bench.screenshot(`${name}-done`);
        if (bench.consoleErrors.length) throw new Error(`console errors: ${bench.consoleErrors.join('; ')}`);
        console.log(`${name}: ok`);
    } catch (error) {
        status = 1;
        console.error(`${name}: FAILED: ${error.stack || error}`);
        await bench.screenshot(`${name}-failed`).catch(() => {});
    } finally {
        await bench.close();
        if (scale) await scale.unplug().catch(() => {});
        if (cleanup) await cleanup().catch(() => {});
    }
    process.exit(status);
}

// The bench screen at its size (1280x800) needs no scrolling for the main actions: every action,
// grade and checklist button and the code field lie inside the viewport, at least 48 px each way
// (touch targets), and the page itself does not scroll.
export async function checkMainActionsReachable(page) {
    const viewport = page.viewportSize();
    const targets = await page.$$eval(
        '.actions button, .actions .button, .grades button, .questions button, [data-testid="scan-submit"], '
        + '[data-testid="override-button"], [data-testid="skip-photo-button"], [data-testid="signin"]',
        (nodes) => nodes.map((node) => {
            const r = node.getBoundingClientRect();
            return { id: node.getAttribute('data-testid') || node.textContent.trim(), x: r.x, y: r.y, width: r.width, height: r.height };
        }));
    if (targets.length < 20) throw new Error(`only ${targets.length} action buttons on the page`);
    const bad = targets.filter((t) => t.x < 0 || t.y < 0 || t.x + t.width > viewport.width
        || t.y + t.height > viewport.height || t.width < 48 || t.height < 48);
    if (bad.length) {
        throw new Error(`outside the ${viewport.width}x${viewport.height} screen or smaller than 48 px: `
            + bad.map((t) => `${t.id} at ${Math.round(t.x)},${Math.round(t.y)} ${Math.round(t.width)}x${Math.round(t.height)}`).join('; '));
    }
    const scroll = await page.evaluate(() => [document.scrollingElement.scrollWidth - window.innerWidth,
        document.scrollingElement.scrollHeight - window.innerHeight]);
    if (scroll[0] > 0 || scroll[1] > 0) throw new Error(`the page scrolls by ${scroll[0]} x ${scroll[1]} px`);
    return targets.length;
}
