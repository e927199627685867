// Code 128 (ISO/IEC 15417) subset B encoder drawing an SVG, for the command-barcode sheet: the
// station's command strings are printable ASCII, which subset B covers. Each symbol value is six
// alternating bar/space widths in modules (11 modules; the stop symbol 13).
const PATTERNS = [
    '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
    '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
    '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
    '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
    '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
    '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
    '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
    '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
    '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
    '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
    '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const START_B = 104;
const STOP = 106;

// The symbol values of `text` in subset B, with start, checksum and stop.
export function code128Values(text) {
    const values = [START_B];
    for (const ch of text) {
        const code = ch.codePointAt(0);
        if (code < 32 || code > 126) throw new Error(`Code 128 B cannot encode ${JSON.stringify(ch)}`);
        values.push(code - 32);
    }
    let sum = START_B;
    for (let i = 1; i < values.length; i++) sum += values[i] * i;
    values.push(sum % 103, STOP);
    return values;
}

// An <svg> element of the symbol with quiet zones of 10 modules; `module` px per module.
export function code128Svg(text, { module = 2, height = 70 } = {}) {
    const widths = code128Values(text).map((v) => PATTERNS[v]).join('');
    const quiet = 10;
    let x = quiet;
    let bars = '';
    [...widths].forEach((w, i) => {
        const n = Number(w);
        if (i % 2 === 0) bars += `<rect x="${x}" y="0" width="${n}" height="1"/>`;
        x += n;
    });
    const total = x + quiet;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${total} 1`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('width', String(total * module));
    svg.setAttribute('height', String(height));
    svg.setAttribute('shape-rendering', 'crispEdges');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', text);
    svg.innerHTML = `<rect x="0" y="0" width="${total}" height="1" fill="#fff"/><g fill="#000">${bars}</g>`;
    return svg;
}
