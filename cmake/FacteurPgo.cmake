# Profile-guided optimisation of the rule engine (g++; docs/adr/0006-profile-guided-rule-engine.md),
# driven by deploy/build.sh. Only the modules the rule engine runs in are concerned
# (FACTEUR_PGO_MODULES); every other object is compiled as in a plain build.
#   GENERATE: those modules are instrumented and tools/pgo/train.cpp (facteur_pgo_train) is built;
#             running it writes their execution counts under FACTEUR_PGO_DIR.
#   USE:      those modules are compiled with the counts found in FACTEUR_PGO_DIR.
# Object paths are taken relative to the build directory (-fprofile-prefix-path), so the
# instrumented build and the optimised one can live in different directories.
set(FACTEUR_PGO "OFF" CACHE STRING
    "Profile-guided optimisation of the rule engine: OFF, GENERATE or USE")
set_property(CACHE FACTEUR_PGO PROPERTY STRINGS OFF GENERATE USE)
set(FACTEUR_PGO_DIR "" CACHE PATH "The profile's directory (FACTEUR_PGO GENERATE or USE)")
set(FACTEUR_PGO_MODULES core model xml rules rules_en16931 rules_fr)

if(NOT FACTEUR_PGO MATCHES "^(OFF|GENERATE|USE)$")
  message(FATAL_ERROR "FACTEUR_PGO must be OFF, GENERATE or USE, not ${FACTEUR_PGO}")
endif()
if(NOT FACTEUR_PGO STREQUAL "OFF")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR FACTEUR_PGO_DIR STREQUAL "" OR FACTEUR_FUZZ)
    message(FATAL_ERROR
      "FACTEUR_PGO=${FACTEUR_PGO} needs g++, FACTEUR_PGO_DIR, and no FACTEUR_FUZZ")
  endif()
endif()

if(FACTEUR_PGO STREQUAL "GENERATE")
  # Every program linking an instrumented module needs the profiling run-time.
  add_link_options(-fprofile-generate=${FACTEUR_PGO_DIR})
elseif(FACTEUR_PGO STREQUAL "USE")
  # The digest of the counts goes into those modules' command lines: a new profile recompiles
  # them (ninja sees a changed command, ccache a changed hash) and nothing else.
  file(GLOB _facteur_pgo_counts "${FACTEUR_PGO_DIR}/*.gcda")
  if(NOT _facteur_pgo_counts)
    message(FATAL_ERROR "FACTEUR_PGO=USE: no profile (*.gcda) in ${FACTEUR_PGO_DIR}")
  endif()
  list(SORT _facteur_pgo_counts)
  set(_facteur_pgo_text "")
  foreach(_count IN LISTS _facteur_pgo_counts)
    file(SHA256 "${_count}" _digest)
    string(APPEND _facteur_pgo_text "${_digest}\n")
  endforeach()
  string(SHA256 FACTEUR_PGO_DIGEST "${_facteur_pgo_text}")
endif()

# facteur_pgo(TARGET FLAT_NAME): the profiling flags of TARGET, when FLAT_NAME is in
# FACTEUR_PGO_MODULES (called by facteur_add_module).
function(facteur_pgo target flat)
  if(FACTEUR_PGO STREQUAL "OFF" OR NOT flat IN_LIST FACTEUR_PGO_MODULES)
    return()
  endif()
  if(FACTEUR_PGO STREQUAL "GENERATE")
    target_compile_options(${target} PRIVATE -fprofile-generate=${FACTEUR_PGO_DIR}
                           -fprofile-update=single -fprofile-prefix-path=${CMAKE_BINARY_DIR})
  else()
    # -fprofile-partial-training: code the training did not run (other commands, error paths)
    # is optimised as in a plain build, not for size. The sources generated into each build
    # directory (the embedded rule files) have another path in each build, which g++ reads as a
    # changed function: their profile is set aside (-Wno-coverage-mismatch) rather than failing
    # the build; deploy/build.sh makes the profile again whenever a source it covers changes.
    target_compile_options(${target} PRIVATE -fprofile-use=${FACTEUR_PGO_DIR}
                           -fprofile-partial-training -Wno-missing-profile -Wno-coverage-mismatch
                           -fprofile-prefix-path=${CMAKE_BINARY_DIR})
    target_compile_definitions(${target} PRIVATE FACTEUR_PGO_PROFILE="${FACTEUR_PGO_DIGEST}")
  endif()
endfunction()
