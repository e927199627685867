// The command sheet: every command the station lists for the rules in force (grades, checklist
// answers, reasons) is drawn as Code 128 and reads back as exactly that command string. Each symbol
// is screenshotted on its own and all of them are decoded by one zbarimg run (it prints one line
// per symbol, in the order of the files), so the check costs one process, not one per code.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { artefactDir } from './lib/browser.mjs';
import { api, scenario } from './lib/station.mjs';

function zbar(files) {
    try {
        return execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Scode128.enable', ...files],
            { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 }).toString().split('\n').filter((l) => l !== '');
    } catch (error) {
        // zbarimg exits 4 when some image held no symbol; what it read is still on stdout.
        return (error.stdout || '').toString().split('\n').filter((l) => l !== '');
    }
}

await scenario('sheet', async ({ page, url }) => {
    const { json } = await api(url, '/api/commands');
    // The sheet follows the rules in force: the grade table, the checklists and the reason codes.
    const codes = json.commands.map((c) => c.code);
    for (const expected of ['CMD:GRADE:0:A', 'CMD:CONFIRM', 'CMD:CHECK:powers_on:YES', 'CMD:CHECK:tags_attached:NA',
        'CMD:OVERRIDE:B:hidden_damage', 'CMD:SKIPPHOTO:item_too_large', 'CMD:CLOSE']) {
        if (!codes.includes(expected)) throw new Error(`the sheet lacks ${expected}`);
    }
    await page.goto(new URL('/sheet', url).href);
    await page.waitForSelector('body[data-ready="true"]');
    const figures = await page.$$('figure.code');
    if (figures.length !== json.commands.length) throw new Error(`${figures.length} codes for ${json.commands.length} commands`);
    const files = [];
    for (const [i, figure] of figures.entries()) {
        const file = path.join(artefactDir(), `code-${i}.png`);
        await (await figure.$('svg')).screenshot({ path: file });
        files.push(file);
    }
    const started = Date.now();
    const read = zbar(files);
    if (read.length !== files.length) {
        // Name the symbols that do not read, one by one (only on failure).
        const unread = files.filter((file) => zbar([file]).length !== 1).map((file) => path.basename(file));
        throw new Error(`${read.length} of ${files.length} symbols read; unreadable: ${unread.join(', ')}`);
    }
    for (const [i, command] of codes.entries()) {
        if (read[i] !== command) throw new Error(`symbol ${i} reads "${read[i]}", expected "${command}"`);
    }
    console.log(`${figures.length} command codes decode to their commands (zbarimg ${Date.now() - started} ms)`);
});
