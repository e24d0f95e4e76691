# facteur::malloc: the allocator the shipped programs link (build/facteur and the benchmarks, which
# measure what ships). tcmalloc by default: Debian's libtcmalloc-minimal4, the allocator of
# gperftools without its profilers, linked by its soname (the runtime package alone is needed;
# the -dev package would pull libunwind-dev, which conflicts with clang's libunwind-14-dev).
# docs/adr/0005-allocator.md gives the measurements and the reasons. FACTEUR_MALLOC=system keeps
# glibc's malloc. The libFuzzer build always keeps glibc's: AddressSanitizer brings its own
# allocator. Test programs are not linked with it (glibc's heap checks stay on under them); the
# integration tests (CLI contract, hostile inputs, archive crash) run build/facteur, and so its
# allocator.
set(FACTEUR_MALLOC "tcmalloc" CACHE STRING "Allocator of the shipped programs: tcmalloc or system")
set_property(CACHE FACTEUR_MALLOC PROPERTY STRINGS tcmalloc system)

add_library(facteur_malloc INTERFACE)
add_library(facteur::malloc ALIAS facteur_malloc)
if(FACTEUR_MALLOC STREQUAL "tcmalloc" AND NOT FACTEUR_FUZZ)
  find_library(FACTEUR_TCMALLOC_LIBRARY NAMES libtcmalloc_minimal.so.4 tcmalloc_minimal)
  if(NOT FACTEUR_TCMALLOC_LIBRARY)
    message(FATAL_ERROR "tcmalloc not found: install libtcmalloc-minimal4 (deploy/install-deps.sh) "
                        "or configure with -DFACTEUR_MALLOC=system")
  endif()
  # --no-as-needed: the programs call no tcmalloc symbol by name; the library must stay a
  # dependency so that its malloc, operator new and friends replace glibc's.
  target_link_libraries(facteur_malloc INTERFACE -Wl,--no-as-needed "${FACTEUR_TCMALLOC_LIBRARY}"
                                                 -Wl,--as-needed)
  message(STATUS "facteur: shipped programs use tcmalloc (${FACTEUR_TCMALLOC_LIBRARY})")
elseif(NOT FACTEUR_MALLOC STREQUAL "system" AND NOT FACTEUR_FUZZ)
  message(FATAL_ERROR "FACTEUR_MALLOC must be tcmalloc or system, not '${FACTEUR_MALLOC}'")
endif()
