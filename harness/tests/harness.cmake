# Tests of the harness as a whole (its unit tests live in parser.cmake).

# Proof that the harness can say no: a program that races but exits 0 with
# the right output must be reported (exit 1, a data-race finding).
add_executable(says_no_racy tests/says_no/racy_clean_claim.c)
target_compile_options(says_no_racy PRIVATE ${RACELAB_TSAN_FLAGS})
target_link_options(says_no_racy PRIVATE ${RACELAB_LAB_LINK_FLAGS})
add_test(NAME harness.says_no
  COMMAND sh -c "\"$1\" run --runs 3 --json \"$2\" -- \"$3\"; rc=$?; \
test $rc -eq 1 || { echo \"expected exit 1 (findings), got $rc\"; exit 1; }; \
grep -q '\"kinds\":\\[\"data-race\"' \"$2\" || { echo 'no data-race finding in the JSON'; cat \"$2\"; exit 1; }"
  _ $<TARGET_FILE:racelab> ${CMAKE_CURRENT_BINARY_DIR}/says_no.json $<TARGET_FILE:says_no_racy>)
set_tests_properties(harness.says_no PROPERTIES LABELS "harness;unit")

# An unknown lab is a usage error (exit 2) that names the labs there are.
add_test(NAME harness.unknown_lab
  COMMAND sh -c "\"$1\" check no_such_lab /dev/null 2>\"$2\"; rc=$?; test $rc -eq 2 && grep -q 'no lab named' \"$2\""
  _ $<TARGET_FILE:racelab> ${CMAKE_CURRENT_BINARY_DIR}/unknown_lab.err)
set_tests_properties(harness.unknown_lab PROPERTIES LABELS "harness;unit")

# The benchmark in its short mode, so it cannot rot.  Its own build dir: it
# cleans and rebuilds, which must not touch the binaries other tests use.
add_test(NAME bench.quick
  COMMAND "${PROJECT_SOURCE_DIR}/scripts/bench" --quick --build "${PROJECT_BINARY_DIR}/bench-build")
set_tests_properties(bench.quick PROPERTIES LABELS "bench" RUN_SERIAL TRUE TIMEOUT 1200)

# The parser's unit tests once more, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (the harness itself is built plain).
if(CMOCKA_LIB AND CMOCKA_INCLUDE)
  set(asan_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_executable(test_report_parse_asan tests/test_report_parse.c finding.c report_parse.c)
  target_include_directories(test_report_parse_asan PRIVATE "${CMOCKA_INCLUDE}" "${CMAKE_CURRENT_SOURCE_DIR}")
  target_compile_options(test_report_parse_asan PRIVATE -Wall -Wextra -g ${asan_flags})
  target_compile_definitions(test_report_parse_asan PRIVATE _GNU_SOURCE
    FIXTURE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures")
  target_link_options(test_report_parse_asan PRIVATE ${asan_flags})
  target_link_libraries(test_report_parse_asan PRIVATE "${CMOCKA_LIB}")
  add_test(NAME unit.report_parse_asan COMMAND test_report_parse_asan)
  set_tests_properties(unit.report_parse_asan PROPERTIES LABELS "unit;asan" TIMEOUT 300
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
endif()

# The same verdicts with the other compilers installed here (gcc's libtsan,
# clang-19): skipped when there are none.
add_test(NAME compilers.agree
  COMMAND "${PROJECT_SOURCE_DIR}/tests/compilers/agree.sh" "${PROJECT_BINARY_DIR}")
set_tests_properties(compilers.agree PROPERTIES LABELS "compilers" RUN_SERIAL TRUE TIMEOUT 1200
  SKIP_RETURN_CODE 77)

# The harness itself under ASan+UBSan, driving its own tests, the cases, the
# hostile programs and the pairs (the labs stay under TSan).
if(CMAKE_C_COMPILER_ID STREQUAL "Clang" AND NOT RACELAB_HARNESS_SANITIZE)
  add_test(NAME harness.asan
    COMMAND "${PROJECT_SOURCE_DIR}/tests/compilers/harness_asan.sh" "${PROJECT_BINARY_DIR}")
  set_tests_properties(harness.asan PROPERTIES LABELS "asan" RUN_SERIAL TRUE TIMEOUT 1800)
endif()
