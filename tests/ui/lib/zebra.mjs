// A Zebra label printer on raw TCP (docs/protocols/zpl.md §2–§4) for the browser tests, like the loopback
// Zebra of the driver tests (tests/devices/zpl/fake_zebra.h): it answers ~HS with the scripted
// state (ready, or paper out: the station must hold its labels) and keeps the ZPL of every job it
// receives. The station connects to it as tcp:127.0.0.1:PORT?protocol=zpl.
import { TcpDevice } from './tcp_device.mjs';

const STX = '\x02';
const ETX = '\x03';
const hs = (paperOut) => `${STX}030,${paperOut ? '1,1' : '0,0'},1218,000,0,0,0,000,0,0,0${ETX}\r\n`
    + `${STX}001,0,0,0,1,2,6,0,00000000,1,000${ETX}\r\n${STX}1234,0${ETX}\r\n`;

export class FakeZebra extends TcpDevice {
    constructor(port) {
        super(port);
        this.paperOut = false;
        this.jobs = []; // the ZPL (^XA … ^XZ) of each job printed
    }

    serve(socket) {
        let bytes = '';
        let answered = false;
        socket.on('data', (data) => {
            bytes += data.toString('latin1');
            // ~HQES is not answered: the station falls back to ~HS alone (older firmware).
            if (!answered && bytes.includes('~HS')) {
                answered = true;
                socket.write(hs(this.paperOut));
            }
        });
        socket.on('end', () => {
            const start = bytes.indexOf('^XA');
            if (start >= 0) this.jobs.push(bytes.slice(start));
            socket.end();
        });
    }
}
