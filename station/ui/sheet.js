// The printable command sheet: one Code 128 symbol per command string the station accepts
// (GET /api/commands), drawn client-side (code128.js).
import { code128Svg } from './code128.js';

const LABELS = {
    'CMD:CONFIRM': 'Confirm item',
    'CMD:ACCEPT': 'Accept weight mismatch',
    'CMD:SKIP': 'Skip weighing',
    'CMD:CANCEL': 'Drop current item',
    'CMD:CLOSE': 'Close parcel',
    'CMD:NEXT': 'Next expected item (no barcode)',
    'CMD:UNDO': 'Undo last confirmed item',
    'CMD:REPRINT': 'Reprint last label',
    'CMD:SKIPPHOTO:camera_offline': 'Skip photos: camera offline',
    'CMD:SIGNOUT': 'Sign out',
};

function label(command) {
    const grade = /^CMD:GRADE:(\d):([A-D])$/.exec(command);
    if (grade) return `Grade: function ${grade[1]}, cosmetic ${grade[2]}`;
    return LABELS[command] || command;
}

async function main() {
    const response = await fetch('/api/commands');
    const { commands } = await response.json();
    const box = document.getElementById('codes');
    for (const command of commands) {
        const cell = document.createElement('figure');
        cell.className = 'code';
        cell.dataset.command = command;
        // Modules stay 2 px wide (readable at arm's length): a long command takes a whole row.
        if (command.length > 14) cell.classList.add('wide');
        cell.append(code128Svg(command));
        const caption = document.createElement('figcaption');
        caption.innerHTML = `<strong></strong><br><code></code>`;
        caption.querySelector('strong').textContent = label(command);
        caption.querySelector('code').textContent = command;
        cell.append(caption);
        box.append(cell);
    }
    document.body.dataset.ready = 'true';
}

document.getElementById('print').addEventListener('click', () => window.print());
main();
