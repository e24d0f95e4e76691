// libFuzzer target for the rules' tree that Xerces' validating pass builds (XsdValidator::scan
// with a name table), differentially: whenever the pass gives a tree on a document the pipeline
// would decide without libxml2 (prescan accepts it, no XSD finding but schema-validity errors,
// nothing unusual, plain namespace declarations), libxml2 must parse the same bytes and xml::Tree::build() must give
// the same tree: elements, names, lines, texts, string values and attributes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "facteur/validate/schema_registry.h"
#include "facteur/validate/xsd_validator.h"
#include "facteur/xml/document.h"
#include "facteur/xml/limits.h"
#include "facteur/xml/namespaces.h"
#include "facteur/xml/prescan.h"
#include "facteur/xml/tree.h"

namespace {

using facteur::validate::SchemaSet;

struct Fixture {
    facteur::validate::SchemaRegistry registry{facteur::validate::SchemaRegistryConfig{}};
    facteur::validate::XsdValidator validator{registry};
    facteur::xml::NameTable names;
    facteur::xml::Limits limits;

    Fixture() {
        const char* const cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
        const char* const ram =
            "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
        for (const char* n : {"ID", "Note", "Name", "IssueDate"}) {
            (void)names.intern(cbc, n);
            (void)names.intern(ram, n);
        }
        (void)names.intern("", "schemeID");
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

}  // namespace

// Xerces 3.2.4 (Debian's) leaks small blocks inside SGXMLScanner::scanContent on some
// malformed documents, which it goes on reading after a fatal error as facteur asks it to: a
// leak of the library, not of the code under test, so LeakSanitizer is told to pass over it.
extern "C" const char* __lsan_default_suppressions() { return "leak:libxerces-c-3.2.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    Fixture& f = fixture();
    const auto scan = facteur::xml::prescan(bytes, f.limits);
    if (!scan) {
        return 0;
    }
    SchemaSet set;
    if (scan->root_namespace.rfind("urn:oasis:names:specification:ubl:schema:xsd:", 0) == 0) {
        set = SchemaSet::kUbl21;
    } else if (scan->root_namespace
               == "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100") {
        set = SchemaSet::kCiiD16b;
    } else {
        return 0;
    }
    const auto pass = f.validator.scan(bytes, set, {}, &f.names);
    if (!pass || !pass->tree || pass->unusual) {
        return 0;
    }
    for (const auto& d : pass->namespaces) {
        if (!facteur::xml::plain_namespace_declaration(d.prefix, d.uri)) {
            return 0;  // the pipeline lets libxml2 decide these
        }
    }
    const auto doc = facteur::xml::parse(bytes, f.limits);
    if (!doc) {
        std::fprintf(stderr, "Xerces built a tree, libxml2 refused: %s\n", doc.error().message.c_str());
        std::abort();
    }
    const facteur::xml::Tree expected = facteur::xml::Tree::build(doc->root(), f.names);
    if (const auto difference = expected.first_difference(*pass->tree)) {
        std::fprintf(stderr, "trees differ: %s\n", difference->c_str());
        std::abort();
    }
    return 0;
}
