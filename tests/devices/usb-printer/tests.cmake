# ZPL printers on the USB printer class through libusb: umockdev .ioctl replays of the bulk
# transfers (docs/protocols/testing-without-hardware.md §3: type 3, OUT records with their data, the printer's IN replies
# indented under them). Included by tests/devices/CMakeLists.txt. The test program also holds the
# usblp tests (usblp/tests.cmake).
add_executable(retour_drivers_printer_replay_tests usb-printer/printer_replay_test.cpp)
target_link_libraries(retour_drivers_printer_replay_tests PRIVATE retour_drivers GTest::gtest_main)
# The usblp test gives its own LpStatusSource (a driver-internal interface).
target_include_directories(retour_drivers_printer_replay_tests PRIVATE ${PROJECT_SOURCE_DIR}/drivers/src)
retour_target(retour_drivers_printer_replay_tests)

# retour_printer_replay(<name> <gtest name> <capture id> <umockdev-run options…>)
function(retour_printer_replay name test capture)
    add_test(NAME drivers.devices.${name}
        COMMAND ${UMOCKDEV_RUN} ${ARGN} -- $<TARGET_FILE:retour_drivers_printer_replay_tests>
                --gtest_filter=${test})
    set_tests_properties(drivers.devices.${name} PROPERTIES LABELS "devices" TIMEOUT 60
        ENVIRONMENT "RETOUR_CAPTURE=${capture}")
endfunction()

foreach(pair "zd620-ready:UsbPrinterReplay.ReadyPrinterGetsTheJobAfterHostStatus"
        "zd620-paper-out:UsbPrinterReplay.PaperOutRefusesTheJobWithTheReason")
    string(REPLACE ":" ";" parts ${pair})
    list(GET parts 0 capture)
    list(GET parts 1 test)
    retour_printer_replay(usb-printer.${capture} ${test} usb-printer/${capture}
        -d ${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/zd620.umockdev
        -i /dev/bus/usb/001/007=${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/${capture}.ioctl)
endforeach()
retour_printer_replay(usb-printer.zd620-absent UsbPrinterReplay.AbsentPrinterIsNotFound usb-printer/zd620-ready
    -d ${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/zd620.umockdev
    -i /dev/bus/usb/001/007=${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/zd620-ready.ioctl)

# The same printer with its printer-class control requests answered: umockdev's pcap replay
# (`-p SYSFS=capture.pcapng`) replays control URBs, which its .ioctl replay cannot. The capture is
# built at test time from the text description beside it by usbmon_pcapng.py (python3, standard
# library only; the script's docstring says what umockdev's reader expects).
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND)
    set(_zd620_sysfs /sys/devices/pci0000:00/0000:00:14.0/usb1/1-5)
    foreach(pair "zd620-pcap-ready:UsbPrinterPcapReplay.ReadyPrinterIdIsReadAndTheJobSent"
            "zd620-pcap-port-paper-out:UsbPrinterPcapReplay.PortStatusPaperEmptyRefusesTheJob"
            "zd620-pcap-epl:UsbPrinterPcapReplay.DeviceIdWithoutZplIsRefused")
        string(REPLACE ":" ";" parts ${pair})
        list(GET parts 0 capture)
        list(GET parts 1 test)
        set(pcap ${CMAKE_CURRENT_BINARY_DIR}/usb-printer/${capture}.pcapng)
        add_test(NAME drivers.devices.usb-printer.${capture}
            COMMAND sh -c "mkdir -p \"$(dirname \"$4\")\" && \"$1\" \"$2\" \"$3\" \"$4\" && exec \"$5\" -d \"$6\" -p \"$7=$4\" -- \"$8\" --gtest_filter=\"$9\""
                    sh ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/usbmon_pcapng.py
                    ${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/${capture}.usbmon ${pcap}
                    ${UMOCKDEV_RUN} ${CMAKE_CURRENT_SOURCE_DIR}/usb-printer/zd620.umockdev ${_zd620_sysfs}
                    $<TARGET_FILE:retour_drivers_printer_replay_tests> ${test})
        set_tests_properties(drivers.devices.usb-printer.${capture} PROPERTIES LABELS "devices" TIMEOUT 60
            ENVIRONMENT "RETOUR_CAPTURE=usb-printer/${capture}")
    endforeach()
else()
    message(WARNING "python3 not found: the USB printer pcap replays are not added")
endif()
