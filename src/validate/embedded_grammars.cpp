#include "embedded_grammars.h"

#include <array>

// Defined by the assembler file that facteur_grammar_compile writes (`.incbin` of each set's
// serialised pool), numbered by SchemaSet.
#define FACTEUR_GRAMMAR_SYMBOLS(n)                         \
    extern const std::uint8_t facteur_grammar_##n##_begin[]; \
    extern const std::uint8_t facteur_grammar_##n##_end[];

extern "C" {
FACTEUR_GRAMMAR_SYMBOLS(0)
FACTEUR_GRAMMAR_SYMBOLS(1)
FACTEUR_GRAMMAR_SYMBOLS(2)
FACTEUR_GRAMMAR_SYMBOLS(3)
FACTEUR_GRAMMAR_SYMBOLS(4)
FACTEUR_GRAMMAR_SYMBOLS(5)
FACTEUR_GRAMMAR_SYMBOLS(6)
FACTEUR_GRAMMAR_SYMBOLS(7)
FACTEUR_GRAMMAR_SYMBOLS(8)
}

#undef FACTEUR_GRAMMAR_SYMBOLS

namespace facteur::validate {

std::span<const std::uint8_t> embedded_grammar(SchemaSet set) noexcept {
    static_assert(kSchemaSetCount == 9, "one facteur_grammar_N symbol pair per schema set");
    static const std::array<std::span<const std::uint8_t>, kSchemaSetCount> kGrammars = {{
        {facteur_grammar_0_begin, facteur_grammar_0_end},
        {facteur_grammar_1_begin, facteur_grammar_1_end},
        {facteur_grammar_2_begin, facteur_grammar_2_end},
        {facteur_grammar_3_begin, facteur_grammar_3_end},
        {facteur_grammar_4_begin, facteur_grammar_4_end},
        {facteur_grammar_5_begin, facteur_grammar_5_end},
        {facteur_grammar_6_begin, facteur_grammar_6_end},
        {facteur_grammar_7_begin, facteur_grammar_7_end},
        {facteur_grammar_8_begin, facteur_grammar_8_end},
    }};
    return kGrammars[static_cast<std::size_t>(set)];
}

}  // namespace facteur::validate
