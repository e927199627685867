"""What the helper services (payment_service.py, smtp_sink.py) share: each tells the test the port
it listens on by writing it to <dir>/port (atomically: tests/support/site/helper_service.cpp waits
for that file), then serves until it is stopped."""

import os


def serve(server, directory):
    with open(os.path.join(directory, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
