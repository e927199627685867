# ZPL printers through the kernel's usblp driver: /dev/usb/lp0 as a umockdev script node (the
# driver's writes must match the script's "w" lines; "r" lines are the printer's replies). The port
# status byte (LPGETSTATUS, not emulated by umockdev) comes from the test through LpStatusSource.
# Included by tests/devices/CMakeLists.txt, after usb-printer/tests.cmake built the test program.
foreach(pair "zd620-ready:UsblpReplay.ReadyPrinterGetsTheJobAfterHostStatus"
        "zd620-paper-out:UsblpReplay.PaperOutRefusesTheJob"
        "zd620-port-paper-empty:UsblpReplay.PortStatusPaperEmptyRefusesAJobThatHostStatusWouldAllow"
        "zd620-unidirectional:UsblpReplay.UnidirectionalPrinterUsesThePortStatusAlone")
    string(REPLACE ":" ";" parts ${pair})
    list(GET parts 0 capture)
    list(GET parts 1 test)
    retour_printer_replay(usblp.${capture} ${test} usblp/${capture}
        -d ${CMAKE_CURRENT_SOURCE_DIR}/usblp/usblp.umockdev
        -s /dev/usb/lp0=${CMAKE_CURRENT_SOURCE_DIR}/usblp/${capture}.script)
endforeach()
