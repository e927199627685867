// The bench screen: renders the station's state snapshots (Server-Sent Events at /events, the
// browser reconnects with Last-Event-ID) and sends the operator's actions as the same command
// strings the scanner's command barcodes carry (POST /api/action), typed codes as scans
// (POST /api/scan). Touch, keyboard and scanner are interchangeable.
const $ = (id) => document.getElementById(id);
let state = null;
let gradeDigit = null;

function el(tag, props = {}, text = '') {
    const node = document.createElement(tag);
    Object.assign(node, props);
    if (text) node.textContent = text;
    return node;
}

async function post(path, body) {
    try {
        const response = await fetch(path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
        });
        if (!response.ok) {
            const answer = await response.json().catch(() => ({ error: response.statusText }));
            showMessage('error', answer.error || `HTTP ${response.status}`);
        }
    } catch (error) {
        showMessage('error', `station unreachable: ${error}`);
    }
}

export const action = (command) => post('/api/action', { command });
const scan = (text) => post('/api/scan', { text });

function showMessage(level, text) {
    const box = $('message');
    box.className = `message ${level}`;
    box.textContent = text;
}

function chip(node, text, tone) {
    node.textContent = text;
    node.className = `chip ${tone || ''}`;
}

function grams(value) {
    return value == null ? '–' : `${Math.round(value)} g`;
}

// ---- grade grid: function 0-3 (rows) × cosmetic A-D (columns) ----
function buildGrades() {
    const rows = $('grade-rows');
    for (let f = 0; f <= 3; f++) {
        const tr = el('tr');
        tr.append(el('th', { scope: 'row', title: `function ${f}` }, String(f)));
        for (const c of 'ABCD') {
            const td = el('td');
            const button = el('button', { type: 'button' }, `${f}${c}`);
            button.dataset.command = `CMD:GRADE:${f}:${c}`;
            button.dataset.testid = `grade-${f}${c}`;
            button.setAttribute('data-testid', `grade-${f}${c}`);
            button.setAttribute('aria-pressed', 'false');
            td.append(button);
            tr.append(td);
        }
        rows.append(tr);
    }
}

// ---- rendering ----
function renderHeader(s) {
    chip($('chip-station'), s.station.id);
    $('chip-station').title = `station ${s.station.id} of ${s.station.site}`;
    const op = s.operator || {};
    chip($('chip-operator'), op.signed_in ? `operator ${op.id} ✓` : `operator ${op.id} (not signed in)`,
        op.signed_in ? 'ok' : 'warn');
    $('chip-operator').dataset.signedIn = op.signed_in ? 'true' : 'false';
    $('signout').hidden = !op.signed_in;
    const p = s.parcel;
    chip($('chip-parcel'), p ? `${p.rma_id || 'unannounced'} · ${p.channel}` : 'no parcel', p ? 'ok' : '');
    const devices = $('devices');
    devices.replaceChildren();
    for (const [name, status] of Object.entries(s.devices || {})) {
        const node = el('span');
        node.setAttribute('data-testid', `device-${name}`);
        node.dataset.status = status;
        node.title = `${name} ${status}`;
        chip(node, status === 'online' ? `${name} ✓` : `${name} ${status.toUpperCase()}`, status === 'online' ? 'ok' : 'bad');
        devices.append(node);
    }
    const sync = s.sync || {};
    const syncChip = $('chip-sync');
    let tone = 'ok';
    let text = `sync ${sync.pending ?? 0} pending`;
    if (!sync.configured) { tone = 'warn'; text = `offline bench · ${sync.pending ?? 0} queued`; }
    else if (!sync.connected) { tone = 'bad'; text = `broker down · ${sync.pending ?? 0} queued`; }
    else if (!sync.central_online) { tone = 'warn'; text = `central offline · ${sync.pending ?? 0} queued`; }
    if (sync.alarm) tone = 'bad';
    syncChip.dataset.status = !sync.configured ? 'none' : sync.connected ? 'connected' : 'down';
    chip(syncChip, text, tone);
}

function renderAlarms(s) {
    const box = $('alarms');
    box.replaceChildren(...(s.alarms || []).map((a) => {
        const p = el('p', {}, a.text);
        p.dataset.kind = a.kind;
        return p;
    }));
    box.hidden = !(s.alarms || []).length;
}

// A <select>'s options follow the reason codes in force; the operator's choice is kept.
function fillReasons(select, reasons) {
    const wanted = (reasons || []).join('\n');
    if (select.dataset.reasons === wanted) return;
    select.dataset.reasons = wanted;
    select.replaceChildren(...(reasons || []).map((r) => el('option', { value: r }, r.replace(/_/g, ' '))));
}

const ANSWERS = [['YES', 'yes', 'Yes'], ['NO', 'no', 'No'], ['NA', 'na', 'N/A']];

// The checklist of the item's category: one row per question with yes / no / n.a. buttons posting
// CMD:CHECK:<id>:<answer>; required questions still unanswered are highlighted (confirm waits for them).
function renderChecklist(item) {
    const list = $('checklist');
    const questions = item?.checklist || [];
    $('checklist-box').hidden = !questions.length;
    const missing = new Set(item?.unanswered_required || []);
    list.replaceChildren(...questions.map((q) => {
        const li = el('li');
        li.setAttribute('data-testid', `question-${q.id}`);
        li.dataset.answer = q.answer || '';
        if (missing.has(q.id)) li.classList.add('missing');
        if (q.finding) li.classList.add('finding');
        li.title = q.finding ? `finding: ${q.finding}` : q.text;
        li.append(el('span', {}, `${q.required ? '* ' : ''}${q.text}`));
        for (const [code, value, text] of ANSWERS) {
            const button = el('button', { type: 'button' }, text);
            button.dataset.command = `CMD:CHECK:${q.id}:${code}`;
            button.setAttribute('data-testid', `check-${q.id}-${value}`);
            button.setAttribute('aria-pressed', q.answer === value ? 'true' : 'false');
            li.append(button);
        }
        return li;
    }));
    $('checklist-note').textContent = missing.size
        ? `${missing.size} required question(s) to answer before confirming`
        : questions.length ? 'required questions answered' : '';
}

function renderItem(s) {
    const w = s.weight;
    const live = $('weight-live');
    live.textContent = w ? grams(w.grams) : '–';
    live.className = `live ${w && !w.stable ? 'moving' : ''}`;
    const item = s.item;
    $('item-name').textContent = item
        ? `${item.name}${item.code && item.code !== item.name ? ` · ${item.code}` : ''}${item.serial ? ` · S/N ${item.serial}` : ''} · ${item.category}`
        : '';
    let weighed = '';
    if (item?.measured_g != null) {
        weighed = `weighed ${grams(item.measured_g)}`;
        if (item.expected_g != null) weighed += ` (expected ${grams(item.expected_g)})`;
        if (item.weight_result === 'mismatch') weighed += ' · MISMATCH';
    }
    $('weight-item').textContent = weighed;
    const photos = $('photos');
    photos.replaceChildren();
    for (const photo of item?.photos || []) {
        const li = el('li');
        li.setAttribute('data-testid', `photo-${photo.view}`);
        if (photo.sha256) {
            li.append(el('img', { src: `/api/photo/${photo.sha256}`, alt: `${photo.view} photo` }));
        }
        const skipped = (item.skipped_photos || []).find((k) => k.view === photo.view);
        let note = photo.pending ? 'taking…' : photo.failure ? `missing: ${photo.failure}` : 'ok';
        if (skipped) note = `skipped: ${skipped.reason}`;
        if (photo.retake_reason) { note = `retake: ${photo.retake_reason}`; li.className = 'retake'; }
        if (photo.failure || skipped) li.className = 'missing';
        // The card shows the first reason; the whole text is its title.
        li.title = `${photo.view}: ${note}`;
        li.append(el('span', {}, `${photo.view}: ${note.split(/[(;]/)[0].trim()}`));
        photos.append(li);
    }
    const pendingPhotos = (item?.photos || []).some((p) => p.pending);
    fillReasons($('skip-reason'), s.reasons?.skip_photo);
    $('skip-photo').disabled = !pendingPhotos || !$('skip-reason').value;
    renderChecklist(item);

    const grade = item?.grade;
    for (const button of document.querySelectorAll('#grade-rows button')) {
        const pressed = grade && button.dataset.command === `CMD:GRADE:${grade.function}:${grade.cosmetic}`;
        button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
        button.disabled = !['await_grade', 'graded'].includes(s.state);
    }
    let decision = '';
    if (grade && item.disposition) {
        const o = item.override;
        decision = `grade ${grade.grade}${o ? ` (overridden from ${o.table_grade}: ${o.reason.replace(/_/g, ' ')})` : ''}`
            + ` → ${item.disposition.disposition.replace(/_/g, ' ')} @ ${item.disposition.location}`
            + (item.trade_in_value != null ? ` · trade-in ${item.trade_in_value.toFixed(2)}` : '');
    }
    if (item?.findings?.length) decision += `${decision ? ' · ' : ''}findings: ${item.findings.join(', ')}`;
    $('decision').textContent = decision;
    $('decision').title = item?.disposition ? `rule ${item.disposition.rule}` : '';
    fillReasons($('override-reason'), s.reasons?.override);
    $('override').disabled = s.state !== 'graded' || !$('override-reason').value;

    const ready = !(item?.unanswered_required || []).length;
    const enabled = {
        'CMD:CONFIRM': s.state === 'graded' && ready,
        'CMD:ACCEPT': s.state === 'await_accept',
        'CMD:SKIP': s.state === 'await_weight',
        'CMD:CANCEL': Boolean(item),
        'CMD:CLOSE': s.state === 'parcel_open',
        'CMD:UNDO': Boolean(s.parcel?.done?.length) && s.state === 'parcel_open',
        'CMD:REPRINT': Boolean(s.parcel?.done?.length) || Boolean(s.labels?.printed?.length),
        // A code the scanner cannot read is read by the camera while it is online.
        'CMD:CAMERA': s.devices?.camera === 'online',
    };
    for (const button of document.querySelectorAll('.actions button[data-command], .scan button[data-command]')) {
        button.disabled = !enabled[button.dataset.command];
    }
}

function renderParcel(s) {
    const p = s.parcel;
    $('parcel-rma').textContent = p ? (p.rma_id || 'unannounced') : '';
    $('parcel-facts').textContent = p
        ? `${p.channel} · identified by ${p.identified_by} "${p.scanned}"${p.customer ? ` · ${p.customer}` : ''}`
        : 'Scan a return label, tracking or order number, or an item.';
    const lines = $('lines');
    lines.replaceChildren();
    for (const line of p?.lines || []) {
        const tr = el('tr', { className: line.found >= line.expected ? 'complete' : '' });
        tr.setAttribute('data-testid', `line-${line.line_id}`);
        tr.append(el('td', {}, line.description || line.sku), el('td', {}, String(line.expected)),
            el('td', {}, String(line.found)));
        lines.append(tr);
    }
    for (const extra of p?.extra || []) {
        const tr = el('tr', { className: 'extra' });
        tr.append(el('td', {}, `${extra.description || extra.sku || 'item'} (not expected)`), el('td', {}, '0'),
            el('td', {}, '1'));
        lines.append(tr);
    }
    $('done').replaceChildren(...(p?.done || []).map((d) =>
        el('li', {}, `${d.lpn} · grade ${d.grade} → ${d.disposition} @ ${d.location}`)));
    renderCounters(s.counters);
    renderLabels(s.labels);
    $('messages').replaceChildren(...(s.messages || []).map((m) => el('li', { className: m.level }, m.text)));
}

// "A 2 · B 1" from {"A": 2, "B": 1}.
function tally(counts) {
    const parts = Object.entries(counts || {}).filter(([, n]) => n > 0).map(([k, n]) => `${k.replace(/_/g, ' ')} ${n}`);
    return parts.length ? parts.join(' · ') : 'none';
}

function countsLine(c) {
    return `${c.items} item(s) · ${c.parcels} parcel(s) · ${c.items_per_hour}/h · ${c.flagged} flagged`;
}

// The counters of the window (the shift, or the day from midnight): the bench's and the operator's.
function renderCounters(c) {
    if (!c) return;
    const since = new Date(c.since);
    $('counters-since').textContent = Number.isNaN(since.getTime())
        ? '' : `since ${since.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
    $('counters').textContent = `bench: ${countsLine(c.bench)}`;
    $('counters-operator').textContent = `${c.operator.id}: ${countsLine(c.operator)}`;
    $('counters-detail').textContent = `grades ${tally(c.bench.grades)}; ${tally(c.bench.dispositions)}; flags: ${tally(c.bench.flags)}`;
}

function clock(timestamp) {
    const t = new Date(timestamp);
    return Number.isNaN(t.getTime()) ? '' : t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// The printer and the label jobs held for it: while it is not ready the labels wait (kept by the
// station, printed in order when it is back); the last label printed and when.
function renderLabels(labels) {
    const box = $('labels');
    const held = labels?.jobs || [];
    const ready = labels?.state === 'ready';
    box.dataset.state = labels?.state || 'none';
    box.dataset.held = String(held.length);
    let text = 'no printer configured: labels wait';
    if (labels?.state === 'ready') text = held.length ? `printer ready · printing ${held.length}` : 'printer ready';
    else if (labels?.state === 'not_ready') {
        // "printer URI refuses job 'ID': paper out, paused (fix the printer, then retry)" → "paper out, paused".
        const why = (labels.detail || '').replace(/^.*refuses job '[^']*': /, '').replace(/ \(fix the printer.*$/, '');
        text = `PRINTER NOT READY${why ? ` (${why})` : ''}: ${held.length} label(s) held`;
        $('labels-state').title = labels.detail || '';
    }
    chip($('labels-state'), text, labels?.state === 'not_ready' ? 'bad' : ready ? 'ok' : 'warn');
    $('labels-held').replaceChildren(...held.slice(0, 4).map((job) => {
        const li = el('li', {}, `${job.lpn} held${job.held_since ? ` since ${clock(job.held_since)}` : ''}`);
        li.setAttribute('data-testid', `held-${job.lpn}`);
        return li;
    }));
    const last = (labels?.printed || [])[0];
    $('labels-printed').textContent = last ? `${last.lpn} printed ${clock(last.at)}${last.was_held ? ' (was held)' : ''}` : '';
    if (last) $('labels-printed').dataset.lpn = last.lpn;
}

const ACTION_MARK = { pending: '…', done: '✓', refused: '✗', failed: '✗' };

// The last action and its result (undo done, reprint done, refused, failed); until the first action,
// the workflow's latest message.
function renderLastAction(s) {
    const box = $('message');
    const a = s.last_action;
    if (!a) {
        const latest = (s.messages || [])[0];
        if (latest) showMessage(latest.level, latest.text);
        return;
    }
    const tone = { done: 'done', pending: 'info', refused: 'warning', failed: 'error' }[a.state] || 'info';
    let text = `${ACTION_MARK[a.state] || ''} ${a.command === 'SCAN' ? 'scan' : a.command}: ${a.text || 'working…'}`;
    if (a.label && a.command === 'CONFIRM') {
        text += a.label.state === 'printed' ? ` · label printed ${clock(a.label.at)}`
            : a.label.state === 'held' ? ' · label HELD (printer not ready)' : ' · label printing';
    }
    showMessage(tone, text);
    box.dataset.action = a.command;
    box.dataset.actionState = a.state;
    box.dataset.actionId = String(a.id);
}

function render(s) {
    state = s;
    document.body.dataset.state = s.state;
    $('prompt').textContent = s.prompt;
    renderLastAction(s);
    renderHeader(s);
    renderAlarms(s);
    renderItem(s);
    renderParcel(s);
}

// ---- input ----
function connect() {
    const source = new EventSource('/events');
    source.addEventListener('state', (event) => {
        render(JSON.parse(event.data));
        document.body.dataset.version = event.lastEventId;
        chip($('chip-link'), 'live', 'ok');
    });
    source.addEventListener('open', () => chip($('chip-link'), 'live', 'ok'));
    // EventSource reconnects by itself (retry: from the station) and sends Last-Event-ID.
    source.addEventListener('error', () => chip($('chip-link'), 'reconnecting', 'bad'));
}

function onKey(event) {
    if (event.target instanceof HTMLInputElement || event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === '/') {
        event.preventDefault();
        $('scan').focus();
        return;
    }
    if (/^[0-3]$/.test(key)) {
        gradeDigit = key;
        showMessage('info', `function ${key}: now the cosmetic grade A-D`);
        return;
    }
    if (gradeDigit !== null && /^[a-d]$/.test(key)) {
        action(`CMD:GRADE:${gradeDigit}:${key.toUpperCase()}`);
        gradeDigit = null;
        return;
    }
    gradeDigit = null;
    const button = document.querySelector(`.actions button[data-key="${key}"], .scan button[data-key="${key}"]`);
    if (button && !button.disabled) {
        event.preventDefault();
        action(button.dataset.command);
    }
}

buildGrades();
document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-command]');
    if (button && !button.disabled) action(button.dataset.command);
});
document.addEventListener('keydown', onKey);
// An override needs a reason, skipping photos too (workflow/operator_input.h CMD:OVERRIDE, CMD:SKIPPHOTO).
$('override').addEventListener('click', () => {
    const reason = $('override-reason').value;
    if (reason) action(`CMD:OVERRIDE:${$('override-grade').value}:${reason}`);
});
$('skip-photo').addEventListener('click', () => {
    const reason = $('skip-reason').value;
    if (reason) action(`CMD:SKIPPHOTO:${reason}`);
});
// Sign-in is an operator command like the others (CMD:SIGNIN:<badge-or-pin>, workflow/operator_input.h).
$('signin').addEventListener('submit', (event) => {
    event.preventDefault();
    const pin = $('pin').value.trim();
    if (/^[A-Za-z0-9_-]{1,40}$/.test(pin)) action(`CMD:SIGNIN:${pin}`);
    else if (pin) showMessage('error', 'a PIN or badge is 1-40 letters, digits, _ or -');
    $('pin').value = '';
});
$('scan-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('scan');
    const text = input.value.trim();
    if (text) scan(text);
    input.value = '';
});
fetch('/api/state').then((r) => r.json()).then((s) => { if (!state) render(s); }).catch(() => {});
connect();
