// The command sheet: every command the station lists for the rules in force (grades, checklist
// answers, reasons) is drawn as Code 128 and reads back (zbarimg on a screenshot of each symbol) as
// exactly that command string.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { artefactDir } from './lib/browser.mjs';
import { api, scenario } from './lib/station.mjs';

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
    for (const [i, figure] of figures.entries()) {
        const command = json.commands[i].code;
        const file = path.join(artefactDir(), `code-${i}.png`);
        await (await figure.$('svg')).screenshot({ path: file });
        const read = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Scode128.enable', file],
            { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
        if (read !== command) throw new Error(`symbol ${i} reads "${read}", expected "${command}"`);
    }
    console.log(`${figures.length} command codes decode to their commands`);
});
