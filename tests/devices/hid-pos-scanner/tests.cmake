# HID POS barcode scanners through hidraw: umockdev .script replays of 64-byte input reports
# (docs/protocols/scanners.md §2, docs/protocols/testing-without-hardware.md §5), one golden .chk per capture. Included by tests/devices/CMakeLists.txt.
foreach(capture honeywell-session honeywell-multi-report honeywell-gs1 honeywell-garbage honeywell-stalled)
    retour_umockdev_replay(hid-pos-scanner.${capture} hid-pos-scanner/hid-pos-scanner.umockdev
        hid-pos-scanner/${capture}.chk
        -s /dev/hidraw0=${CMAKE_CURRENT_SOURCE_DIR}/hid-pos-scanner/${capture}.script)
endforeach()
# Unplugged: a node that holds one report and then ends (a script never ends the stream).
retour_umockdev_replay(hid-pos-scanner.honeywell-unplugged hid-pos-scanner/hid-pos-scanner-eof.umockdev
    hid-pos-scanner/honeywell-unplugged.chk)
