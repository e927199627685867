# Every dependency comes from a Debian package (see docs/ and DESIGN): find them all here, once.
# Imported targets carry their include directories as SYSTEM includes, so their warnings are not ours.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto)
find_package(SQLite3 REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs videoio)
find_package(ZXing REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(spdlog REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# libcurl (libcurl4-openssl-dev): central's delivery outbox (HTTP to the payment adapter and
# webhooks, SMTP for customer e-mails).
find_package(CURL REQUIRED)

# cpp-httplib (Debian's libcpp-httplib-dev builds it as a library, libcpp-httplib.so, with its
# OpenSSL/zlib/brotli macros in cpp-httplib.pc): the station's operator UI server.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(retour_httplib INTERFACE)
target_link_libraries(retour_httplib INTERFACE PkgConfig::HTTPLIB Threads::Threads)

# OpenCV's config exports plain include dirs; wrap them as a SYSTEM interface target.
add_library(retour_opencv INTERFACE)
target_include_directories(retour_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(retour_opencv INTERFACE ${OpenCV_LIBS})

if(RETOUR_TESTS)
    find_package(GTest REQUIRED)
    find_package(benchmark REQUIRED)
    pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
    find_program(UMOCKDEV_RUN umockdev-run)
    find_program(MOSQUITTO_BROKER mosquitto PATHS /usr/sbin /usr/local/sbin)
    find_program(MOSQUITTO_PASSWD mosquitto_passwd)
    # zbar: the peer decoder of the vision benchmarks (tests/bench/vision), never linked by the product.
    pkg_check_modules(ZBAR IMPORTED_TARGET zbar)
endif()
