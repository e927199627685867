// Bad and hostile requests get a 4xx JSON answer naming the problem; nothing reaches the workflow
// and the station keeps serving.
import { api, scenario, waitState } from './lib/station.mjs';

await scenario('hostile', async ({ page, url }) => {
    const expect = async (what, promise, status) => {
        const answer = await promise;
        if (answer.status !== status || !answer.json?.error) {
            throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 200)} (expected ${status} with an error)`);
        }
    };
    await expect('not JSON', api(url, '/api/action', '{"command": '), 400);
    await expect('wrong type', api(url, '/api/action', { command: 42 }), 400);
    await expect('array body', api(url, '/api/scan', '[1,2,3]'), 400);
    await expect('not a command', api(url, '/api/action', { command: 'RMA-UI1' }), 400);
    await expect('command with junk', api(url, '/api/action', { command: 'CMD:CONFIRM\n' }), 400);
    await expect('control characters', api(url, '/api/scan', { text: 'RMA\u0000UI1' }), 400);
    await expect('empty code', api(url, '/api/scan', { text: '' }), 400);
    await expect('huge body', api(url, '/api/scan', { text: 'x'.repeat(1 << 20) }), 413);
    await expect('deep JSON', api(url, '/api/scan', '['.repeat(100000)), 413);
    // httplib decodes %2F before routing: the traversal matches no route at all.
    await expect('traversal as a hash', api(url, '/api/photo/..%2F..%2Fetc%2Fpasswd'), 404);
    await expect('bad hash', api(url, `/api/photo/${'.'.repeat(64)}`), 400);
    await expect('short hash', api(url, '/api/photo/abc'), 400);
    await expect('unknown photo', api(url, `/api/photo/${'0'.repeat(64)}`), 404);
    await expect('unknown page', api(url, '/api/nothing'), 404);
    const traversal = await fetch(new URL('/..%2F..%2F..%2Fetc%2Fpasswd', url));
    if (traversal.status < 400 || (await traversal.text()).includes('root:')) throw new Error('path traversal served a file');
    // Still serving, and still idle: nothing of the above was taken as a scan.
    const state = await api(url, '/api/state');
    if (state.status !== 200 || state.json.state !== 'idle') throw new Error(`state after: ${state.text.slice(0, 200)}`);
    await waitState(page, 'idle');
});
