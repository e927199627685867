// Fuzz target: simulated-bench scenario files (sim.h loadSimScenario). The loader reads a file, so
// each input is written to a private temporary file first.
#include "retour/drivers/sim.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // One file per process, removed at exit.
    struct TempFile
    {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("retour-fuzz-scenario-" + std::to_string(::getpid()) + ".toml");
        ~TempFile()
        {
            std::error_code ignored;
            std::filesystem::remove(path, ignored);
        }
    };
    static const TempFile temp;
    const std::filesystem::path& file = temp.path;
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    (void)retour::drivers::loadSimScenario(file);
    return 0;
}
