#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace retour::hwconfig {

// One known device model (hw-config/catalogue/devices.toml).
struct CatalogueEntry
{
    unsigned vendor = 0;
    unsigned product = 0;
    std::string name;
    std::string kind;   // "scale", "scanner", "printer", "camera"
    std::string driver; // "hid-pos-scale", "keyboard-wedge", "hid-pos-scanner", "zpl-usb", …
    std::vector<std::string> quirks;
};

// The catalogue of known models. Thread contract: immutable after load, safe to share.
class Catalogue
{
public:
    // Throws std::runtime_error with "FILE:LINE:COL: what" on a broken file (start-up only).
    static Catalogue load(const std::filesystem::path& file);
    static std::filesystem::path defaultFile();

    const CatalogueEntry* find(unsigned vendor, unsigned product) const;
    const std::vector<CatalogueEntry>& entries() const { return entries_; }

private:
    std::vector<CatalogueEntry> entries_;
};

} // namespace retour::hwconfig
