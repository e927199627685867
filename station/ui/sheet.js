// The printable command sheet: one Code 128 symbol per command the station accepts with the rules
// in force (GET /api/commands: grades of the grade table, checklist answers per category, override
// and skip-photo reasons), grouped as the station lists them, drawn client-side (code128.js).
import { code128Svg } from './code128.js';

const GROUPS = {
    item: 'Item',
    grade: 'Grade (function × cosmetic)',
    override: 'Grade override (with reason)',
    photo: 'Photos',
    parcel: 'Parcel',
    operator: 'Operator',
};

function groupTitle(group) {
    const checklist = /^checklist:(.+)$/.exec(group);
    return checklist ? `Checklist: ${checklist[1]}` : GROUPS[group] || group;
}

async function main() {
    const response = await fetch('/api/commands');
    const { commands } = await response.json();
    const box = document.getElementById('codes');
    let group = null;
    for (const entry of commands) {
        if (entry.group !== group) {
            group = entry.group;
            const heading = document.createElement('h2');
            heading.className = 'group';
            heading.textContent = groupTitle(group);
            box.append(heading);
        }
        const cell = document.createElement('figure');
        cell.className = 'code';
        cell.dataset.command = entry.code;
        // Modules stay 2 px wide (readable at arm's length): a long command takes a whole row.
        if (entry.code.length > 14) cell.classList.add('wide');
        cell.append(code128Svg(entry.code));
        const caption = document.createElement('figcaption');
        caption.innerHTML = `<strong></strong><br><code></code>`;
        caption.querySelector('strong').textContent = entry.label;
        caption.querySelector('code').textContent = entry.code;
        cell.append(caption);
        box.append(cell);
    }
    document.body.dataset.ready = 'true';
}

document.getElementById('print').addEventListener('click', () => window.print());
main();
