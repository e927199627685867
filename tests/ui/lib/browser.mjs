// Headless Debian Chromium driven by playwright-core, for the browser tests (ctest label `ui`).
//
// Chromium is the distribution's (/usr/bin/chromium, installed by ./run): playwright never
// downloads a browser. The flags keep Chromium from reaching for the network at start, which a
// closed build machine answers with refused connections, and run it as root in CI.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

export const CHROMIUM = process.env.RETOUR_CHROMIUM || '/usr/bin/chromium';

// Screenshots land in $RETOUR_UI_ARTEFACTS (set by ctest to <build>/ui-artefacts/<test>) so a
// failed run can be looked at afterwards.
export function artefactDir() {
    const dir = process.env.RETOUR_UI_ARTEFACTS || path.join(os.tmpdir(), 'retour-ui-artefacts');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
}

// Opens a 1280x800 touch-capable page (the bench screen); playwright gives each launch a fresh
// temporary profile.
export async function openBench({ width = 1280, height = 800, touch = true } = {}) {
    const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
            '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
        ],
    });
    const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    return {
        browser,
        page,
        consoleErrors,
        async screenshot(name) {
            const file = path.join(artefactDir(), `${name}.png`);
            await page.screenshot({ path: file, fullPage: true });
            return file;
        },
        async close() {
            await browser.close();
        },
    };
}
