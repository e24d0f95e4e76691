#include "facteur/core/clock.h"

namespace facteur::core {

// The one place that reads the real clock (house style rule 11).
std::chrono::system_clock::time_point SystemClock::now() const {
    return std::chrono::system_clock::now();
}

}  // namespace facteur::core
