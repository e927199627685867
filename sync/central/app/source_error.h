#pragma once

// An error in a file a person wrote (the config, the RMA seed): base's, "FILE:LINE:COL: message".
#include "retour/base/toml.h"

namespace retour::central {

using base::SourceError;
template <class T> using SourceResult = base::SourceResult<T>;

} // namespace retour::central
