// A simulated device on loopback TCP for the browser tests: one server on 127.0.0.1:PORT that
// keeps its connections, so that the device can be unplugged (every connection dropped and nothing
// listening any more). A subclass answers each connection in serve(socket).
import net from 'node:net';

export class TcpDevice {
    constructor(port) {
        this.port = port;
        this.sockets = new Set();
        this.server = net.createServer((socket) => {
            this.sockets.add(socket);
            socket.on('error', () => {});
            socket.on('close', () => this.sockets.delete(socket));
            this.serve(socket);
        });
    }

    listen() {
        return new Promise((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(this.port, '127.0.0.1', resolve);
        });
    }

    // Every connection dropped and the server closed.
    close() {
        for (const socket of this.sockets) socket.destroy();
        return new Promise((resolve) => this.server.close(resolve));
    }
}
