// The reference self-service page of retour-central: order number + e-mail → returnable items →
// reasons → return label (PNG from the server) → status. Talks only to /api/v1/portal/… (docs/openapi.yaml).
'use strict';

const REASONS = [
    ['does_not_fit', 'Does not fit'],
    ['not_as_described', 'Not as described'],
    ['damaged', 'Arrived damaged'],
    ['defective', 'Does not work'],
    ['wrong_item', 'Wrong item sent'],
    ['unwanted', 'No longer wanted'],
];

const $ = (id) => document.getElementById(id);
let order = null;

function show(section) {
    for (const id of ['find', 'items', 'label', 'status']) $(id).hidden = id !== section;
}

function say(text) {
    $('message').textContent = text || '';
    $('message').hidden = !text;
}

async function post(path, body) {
    const response = await fetch(path, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error ? json.error.message : `HTTP ${response.status}`);
    return json;
}

function labelUrl(rma, email) {
    return `/api/v1/portal/returns/${encodeURIComponent(rma)}/label.png?email=${encodeURIComponent(email)}`;
}

function row(item) {
    const tr = document.createElement('tr');
    tr.dataset.line = item.line_id;
    const name = document.createElement('td');
    name.textContent = `${item.description} (${item.sku})`;
    const quantity = document.createElement('td');
    const reason = document.createElement('td');
    if (item.returnable > 0) {
        const input = document.createElement('input');
        input.type = 'number';
        input.min = '0';
        input.max = String(item.returnable);
        input.value = '0';
        input.className = 'quantity';
        input.setAttribute('aria-label', `Quantity of ${item.description}`);
        quantity.append(input);
        const select = document.createElement('select');
        select.className = 'reason';
        select.setAttribute('aria-label', `Reason for ${item.description}`);
        for (const [value, text] of REASONS) select.add(new Option(text, value));
        reason.append(select);
    } else {
        quantity.textContent = '—';
        reason.textContent = item.already_returned > 0 ? 'already returned' : 'cannot be returned';
    }
    tr.append(name, quantity, reason);
    return tr;
}

$('find-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    say('');
    try {
        const answer = await post('/api/v1/portal/lookup', { order_id: $('order').value.trim(), email: $('email').value.trim() });
        order = { id: answer.order_id, email: $('email').value.trim() };
        $('item-rows').replaceChildren(...answer.items.map(row));
        show('items');
    } catch (error) {
        say(error.message);
    }
});

$('items-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    say('');
    const items = [];
    for (const tr of $('item-rows').children) {
        const quantity = tr.querySelector('.quantity');
        if (quantity && Number(quantity.value) > 0) {
            items.push({ line_id: tr.dataset.line, quantity: Number(quantity.value), reason: tr.querySelector('.reason').value });
        }
    }
    if (items.length === 0) {
        say('Choose at least one item and its quantity.');
        return;
    }
    try {
        const ret = await post('/api/v1/portal/returns', { order_id: order.id, email: order.email, items });
        $('rma').textContent = ret.rma_id;
        const track = `#status?rma=${encodeURIComponent(ret.rma_id)}&email=${encodeURIComponent(order.email)}`;
        $('track').href = track;
        if (ret.state === 'authorised') {
            $('outcome').textContent = 'Your return is authorised. Print the label and stick it on the parcel.';
            $('label-image').src = labelUrl(ret.rma_id, order.email);
            $('label-download').href = labelUrl(ret.rma_id, order.email);
            $('label-download').download = `${ret.rma_id}.png`;
            $('label-figure').hidden = false;
        } else if (ret.state === 'requested') {
            $('outcome').textContent = `We check this return first: ${ret.decision.reason}. You will get the label by e-mail.`;
        } else {
            $('outcome').textContent = `This return cannot be accepted: ${ret.decision.reason}.`;
        }
        document.body.dataset.rma = ret.rma_id;
        document.body.dataset.state = ret.state;
        show('label');
    } catch (error) {
        say(error.message);
    }
});

async function showStatus(rma, email) {
    say('');
    try {
        const response = await fetch(`/api/v1/portal/returns/${encodeURIComponent(rma)}?email=${encodeURIComponent(email)}`);
        const json = await response.json();
        if (!response.ok) throw new Error(json.error.message);
        $('status-id').textContent = json.rma_id;
        $('status-state').textContent = json.state.replace(/_/g, ' ');
        $('status-history').replaceChildren(...json.history.map((step) => {
            const li = document.createElement('li');
            li.textContent = `${step.at}: ${step.to.replace(/_/g, ' ')}`;
            return li;
        }));
        $('status-result').hidden = false;
    } catch (error) {
        say(error.message);
    }
}

$('status-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showStatus($('status-rma').value.trim(), $('status-email').value.trim());
});

function route() {
    const hash = window.location.hash;
    if (hash.startsWith('#status')) {
        show('status');
        const params = new URLSearchParams(hash.split('?')[1] || '');
        if (params.get('rma') && params.get('email')) {
            $('status-rma').value = params.get('rma');
            $('status-email').value = params.get('email');
            showStatus(params.get('rma'), params.get('email'));
        }
    } else if ($('status').hidden === false) {
        show('find');
    }
}
window.addEventListener('hashchange', route);
route();
document.body.dataset.ready = 'true';
