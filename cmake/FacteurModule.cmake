# facteur_add_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#   One static library per module: facteur_<name> with alias facteur::<name>; public headers in
#   src/<module>/include/facteur/<module>/, private ones beside the sources.
#   NAME may be nested with '/', e.g. formats/ubl -> facteur_formats_ubl, facteur::formats_ubl.
function(facteur_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  string(REPLACE "/" "_" flat "${name}")
  add_library(facteur_${flat} STATIC ${ARG_SOURCES})
  add_library(facteur::${flat} ALIAS facteur_${flat})
  target_include_directories(facteur_${flat}
    PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/include"
    PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
  target_compile_features(facteur_${flat} PUBLIC cxx_std_20)
  target_link_libraries(facteur_${flat}
    PUBLIC ${ARG_PUBLIC_DEPS}
    PRIVATE ${ARG_PRIVATE_DEPS} facteur::warnings)
  facteur_pgo(facteur_${flat} ${flat})
endfunction()

# facteur_add_test(MODULE SOURCES ... [DEPS ...] [LABELS ...])
#   One GoogleTest binary per module, facteur_<module>_test, discovered by ctest.
function(facteur_add_test module)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  string(REPLACE "/" "_" flat "${module}")
  set(target facteur_${flat}_test)
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} facteur::testing GTest::gtest GTest::gtest_main
                                          facteur::warnings)
  gtest_discover_tests(${target}
    PROPERTIES LABELS "${flat};${ARG_LABELS}" TIMEOUT 120
    DISCOVERY_TIMEOUT 60)
endfunction()
