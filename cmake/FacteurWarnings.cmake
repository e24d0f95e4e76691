# facteur::warnings: the warning set every facteur target compiles with (house style §1.9).
add_library(facteur_warnings INTERFACE)
add_library(facteur::warnings ALIAS facteur_warnings)
target_compile_options(facteur_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wnon-virtual-dtor -Werror=unused-result)
if(FACTEUR_WERROR)
  target_compile_options(facteur_warnings INTERFACE -Werror)
endif()
