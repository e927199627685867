#pragma once

// Typed, located reads from the TOML files people write (config, RMA seed, rules): base's reader.
#include "app/source_error.h"
#include "retour/base/toml.h"

namespace retour::central {

using base::TomlReader;

} // namespace retour::central
