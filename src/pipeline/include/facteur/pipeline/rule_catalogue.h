#pragma once

// Every rule facteur applies, for `facteur rules list` and the documentation: one entry per
// assert of each compiled rule set, with its id, severity, layer and version.

#include <string>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/report.h"

namespace facteur::pipeline {

struct RuleEntry {
    std::string id;          ///< official id, verbatim
    model::Severity severity = model::Severity::kFatal;
    std::string layer;       ///< "en16931", ...
    std::string version;     ///< "1.3.16", ...
    std::string set;         ///< "EN16931-UBL-validation", ...
    std::string syntax;      ///< "ubl" | "cii"
    std::vector<std::string> terms;  ///< business terms named by the message: "BT-106"
    std::string message;     ///< official message (English)
    std::string message_fr;  ///< French message
    std::string context;     ///< Schematron rule context (XPath pattern)
    std::string test;        ///< Schematron assert test (XPath 2.0)
};

/// Compiles (once per process) and lists every rule set; errors name the set that failed.
[[nodiscard]] core::Result<std::vector<RuleEntry>> rule_catalogue();

}  // namespace facteur::pipeline
