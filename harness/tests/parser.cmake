# parser.cmake - tests of the TSan report parser (finding.c, report_parse.c).
#
# Included by harness/CMakeLists.txt after the racelab_core target exists.
#   unit.report_parse       cmocka tests against the real TSan logs in
#                           fixtures/ (regenerate them with fixtures/capture.sh)
#   unit.fuzz_report_parse  (clang only) libFuzzer on report_parse for at most
#                           10 s, seeded with the same logs
include_guard(GLOBAL)
include(CMakePushCheckState)
include(CheckCSourceCompiles)

set(RACELAB_PARSER_TESTS "${CMAKE_CURRENT_LIST_DIR}")
set(RACELAB_PARSER_FIXTURES "${CMAKE_CURRENT_LIST_DIR}/fixtures")

if(NOT CMOCKA_LIB)
  find_library(CMOCKA_LIB cmocka)
endif()
if(NOT CMOCKA_INCLUDE)
  find_path(CMOCKA_INCLUDE cmocka.h)
endif()

if(CMOCKA_LIB AND CMOCKA_INCLUDE)
  add_executable(test_report_parse "${RACELAB_PARSER_TESTS}/test_report_parse.c")
  target_include_directories(test_report_parse PRIVATE "${CMOCKA_INCLUDE}")
  target_compile_options(test_report_parse PRIVATE -Wall -Wextra ${RACELAB_HARNESS_SANITIZE})
  target_compile_definitions(test_report_parse PRIVATE
    FIXTURE_DIR="${RACELAB_PARSER_FIXTURES}")
  target_link_libraries(test_report_parse PRIVATE racelab_core "${CMOCKA_LIB}")
  add_test(NAME unit.report_parse COMMAND test_report_parse)
  set_tests_properties(unit.report_parse PROPERTIES LABELS "unit" TIMEOUT 120)
else()
  message(STATUS "cmocka not found: unit.report_parse is not built "
    "(apt-get install libcmocka-dev)")
endif()

# The fuzz target is built from the parser's sources directly, with its own
# sanitizers, so it does not depend on how racelab_core is instrumented.
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  set(RACELAB_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)
  cmake_push_check_state(RESET)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
  set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer,address,undefined")
  check_c_source_compiles([[
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
]] RACELAB_HAVE_LIBFUZZER)
  cmake_pop_check_state()
endif()

if(RACELAB_HAVE_LIBFUZZER)
  set(fuzz_dir "${CMAKE_CURRENT_BINARY_DIR}/fuzz_report_parse.corpus")
  file(GLOB fuzz_seeds "${RACELAB_PARSER_FIXTURES}/*.log")
  add_executable(fuzz_report_parse
    "${RACELAB_PARSER_TESTS}/fuzz_report_parse.c"
    "${CMAKE_CURRENT_SOURCE_DIR}/finding.c"
    "${CMAKE_CURRENT_SOURCE_DIR}/report_parse.c")
  target_include_directories(fuzz_report_parse PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
  target_compile_options(fuzz_report_parse PRIVATE -Wall -Wextra -g -O1 ${RACELAB_FUZZ_FLAGS})
  target_link_options(fuzz_report_parse PRIVATE ${RACELAB_FUZZ_FLAGS})
  # seeds/: the fixture logs; new/: what this machine's runs discovered.
  add_custom_command(TARGET fuzz_report_parse POST_BUILD
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${fuzz_dir}/seeds" "${fuzz_dir}/new"
    COMMAND "${CMAKE_COMMAND}" -E copy ${fuzz_seeds} "${fuzz_dir}/seeds/"
    VERBATIM)
  add_test(NAME unit.fuzz_report_parse
    COMMAND fuzz_report_parse -max_total_time=10 -runs=2000000 -max_len=16384
            -timeout=5 -rss_limit_mb=2048 -print_final_stats=1
            "${fuzz_dir}/new" "${fuzz_dir}/seeds")
  set_tests_properties(unit.fuzz_report_parse PROPERTIES LABELS "unit" TIMEOUT 60)
elseif(CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(STATUS "libFuzzer not usable with ${CMAKE_C_COMPILER}: no fuzz_report_parse")
endif()
