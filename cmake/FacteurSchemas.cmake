# Materialises the official schema sets into the build tree (schemas/materialise.sh) at configure
# time and again whenever schemas/MANIFEST changes. facteur re-checks every file it loads against
# the manifest, which is compiled into the binary (src/validate/manifest_data.cpp.in).
set(FACTEUR_SCHEMA_MANIFEST "${CMAKE_SOURCE_DIR}/schemas/MANIFEST")
set(_facteur_materialise "${CMAKE_SOURCE_DIR}/schemas/materialise.sh")
execute_process(
  COMMAND bash "${_facteur_materialise}" "${FACTEUR_SCHEMA_DIR}" "${FACTEUR_SHARED_DIR}/standards"
  RESULT_VARIABLE _facteur_schema_rc)
if(NOT _facteur_schema_rc EQUAL 0)
  message(FATAL_ERROR "facteur: the official schemas could not be materialised (see above)")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${FACTEUR_SCHEMA_MANIFEST}" "${_facteur_materialise}")
