# tests/tests.cmake - "a harness you can trust": proof that racelab gives the
# right verdict on the faults real TSan users meet, and survives hostile
# programs without leaving anything behind.
#
#   case.<name>      tests/cases/*.c: one kind of fault each (and its fix);
#                    the expected exit code and kinds are the file's own
#                    " * Verdict:" / " * Good:" header lines
#   hostile.<name>   tests/hostile/*.c: hangs, bombs, floods, crashes,
#                    TSAN_OPTIONS tricks, Ctrl-C; each also proves that no
#                    process carrying the test's argv marker is left
#   hostile.unknown_lab  `racelab check nosuch`: exit 2 and the list of labs
#   case.junit       `racelab run --junit` output against tests/junit.xsd
#   doctor           scripts/doctor on this machine (label "doctor")
#
# tests/expect_verdict.py reads the headers, both here (--list, to register
# one test per variant) and when a test runs: the expectation is written
# once, next to the program.

find_program(RACELAB_PYTHON3 python3)
if(NOT RACELAB_PYTHON3)
  message(WARNING "python3 not found: the case and hostile tests are not registered (apt-get install python3)")
  return()
endif()

set(_rl_tests "${PROJECT_SOURCE_DIR}/tests")
set(_rl_expect ${RACELAB_PYTHON3} "${_rl_tests}/expect_verdict.py" --racelab $<TARGET_FILE:racelab>
  --cc "${CMAKE_C_COMPILER}" --source-dir "${PROJECT_SOURCE_DIR}")

# Registers one test per header variant of every program in tests/<group>/.
function(racelab_add_verdict_tests group)
  file(GLOB files CONFIGURE_DEPENDS "${_rl_tests}/${group}/*.c")
  list(SORT files)
  set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${files})
  if(group STREQUAL "cases")
    set(label case)
  else()
    set(label ${group})
  endif()
  execute_process(COMMAND ${RACELAB_PYTHON3} "${_rl_tests}/expect_verdict.py" --list ${files}
    OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tests/expect_verdict.py --list failed for tests/${group}")
  endif()
  string(REPLACE "\n" ";" lines "${listing}")
  foreach(line IN LISTS lines)
    if(line STREQUAL "")
      continue()
    endif()
    string(REPLACE "\t" ";" fields "${line}")
    list(GET fields 0 name)
    list(GET fields 1 file)
    list(GET fields 2 index)
    add_test(NAME ${label}.${name} COMMAND ${_rl_expect} "${file}" ${index})
    set_tests_properties(${label}.${name} PROPERTIES LABELS "${label}" TIMEOUT 120 SKIP_RETURN_CODE 77)
  endforeach()
endfunction()

racelab_add_verdict_tests(cases)
racelab_add_verdict_tests(hostile)

add_test(NAME hostile.unknown_lab COMMAND ${_rl_expect} --scenario unknown-lab)
set_tests_properties(hostile.unknown_lab PROPERTIES LABELS "hostile" TIMEOUT 60)

add_test(NAME case.junit COMMAND ${RACELAB_PYTHON3} "${_rl_tests}/check_junit.py" --racelab $<TARGET_FILE:racelab>
  --cc "${CMAKE_C_COMPILER}" --schema "${_rl_tests}/junit.xsd")
set_tests_properties(case.junit PROPERTIES LABELS "case;junit" TIMEOUT 120)
# The same with a folder named 'odd & <"name">': every path in the document
# must be escaped, or a path with & or < makes it ill-formed.
add_test(NAME case.junit_odd_names COMMAND ${RACELAB_PYTHON3} "${_rl_tests}/check_junit.py"
  --racelab $<TARGET_FILE:racelab> --cc "${CMAKE_C_COMPILER}" --schema "${_rl_tests}/junit.xsd" --odd-names)
set_tests_properties(case.junit_odd_names PROPERTIES LABELS "case;junit" TIMEOUT 120)

add_test(NAME doctor COMMAND "${PROJECT_SOURCE_DIR}/scripts/doctor")
set_tests_properties(doctor PROPERTIES LABELS "doctor" TIMEOUT 300
  ENVIRONMENT "RACELAB_BUILD_DIR=${PROJECT_BINARY_DIR};RACELAB_NO_BUILD=1")
